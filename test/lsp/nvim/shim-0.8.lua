-- Stand-ins, for Debian's Neovim 0.7, of the Neovim 0.8 calls the README's 0.8 configuration makes,
-- each built from the 0.7 calls it wraps (as 0.8 itself does): so that configuration runs here.
vim.g.do_filetype_lua = 1 -- 0.8's default: vim.filetype.add takes effect
vim.fs = vim.fs or {}
vim.fs.dirname = vim.fs.dirname or function(path) return path and vim.fn.fnamemodify(path, ':h') or nil end
vim.fs.find = vim.fs.find or function(name, opts)
  local found = vim.fn.findfile(name, vim.fn.fnamemodify(opts.path, ':p') .. (opts.upward and ';' or ''))
  return found ~= '' and { vim.fn.fnamemodify(found, ':p') } or {}
end
local started = {}
vim.lsp.start = vim.lsp.start or function(config)
  local key = config.name .. '\0' .. config.root_dir
  local id = started[key]
  if not (id and vim.lsp.get_client_by_id(id)) then
    id = vim.lsp.start_client(config)
    started[key] = id
  end
  vim.lsp.buf_attach_client(vim.api.nvim_get_current_buf(), id)
  return id
end
