-- Drives gnet's language server from headless Neovim, as a user would: the buffer is a copy of
-- specs/resnet50.gnet. Each check is recorded; the results go to $GNET_NVIM_OUT as JSON and Neovim
-- quits, whatever happens.
local results = {}
local function check(name, ok, detail)
  table.insert(results, { name = name, ok = ok and true or false, detail = detail ~= nil and vim.inspect(detail) or '' })
end

local buf = vim.api.nvim_get_current_buf()
local uri = vim.uri_from_bufnr(buf)

local function lines() return vim.api.nvim_buf_get_lines(buf, 0, -1, false) end

-- 0-based line and column of the nth occurrence of `needle`, `shift` columns in.
local function find(needle, shift, nth)
  local seen = 0
  for i, line in ipairs(lines()) do
    local from = 1
    while true do
      local at = line:find(needle, from, true)
      if not at then break end
      seen = seen + 1
      if seen == (nth or 1) then return { line = i - 1, character = at - 1 + (shift or 0) } end
      from = at + 1
    end
  end
  error('not found: ' .. needle)
end

local function request(method, params)
  local responses, err = vim.lsp.buf_request_sync(buf, method, params, 60000)
  if not responses then return nil, err end
  -- Neovim 0.7 names the error `error`; later ones `err`.
  for _, r in pairs(responses) do return r.result, r.err or r.error end
end

local function at(position, extra)
  return vim.tbl_extend('force', { textDocument = { uri = uri }, position = position }, extra or {})
end

local function code(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local function run()
  local attached = vim.wait(60000, function()
    for _, client in pairs(vim.lsp.buf_get_clients(buf)) do
      if client.server_capabilities and client.server_capabilities.hoverProvider then return true end
    end
    return false
  end, 50)
  check('the gnet client attaches and initializes', attached)
  if not attached then return end

  local hover = request('textDocument/hover', at(find('conv(width, 1', 1)))
  check('hover shows the output shape', hover and hover.contents and hover.contents.value:find('output shape', 1, true), hover)
  if os.getenv('GNET_NVIM_MODE') == 'attach' then return end

  -- Completion after `->`: blocks and values, no declaration keywords.
  local row = find('  x = image -> stem').line
  vim.api.nvim_buf_set_lines(buf, row + 1, row + 1, false, { '  z = x -> ' })
  local items = request('textDocument/completion', at({ line = row + 1, character = 11 }))
  items = items and (items.items or items) or {}
  local labels = {}
  for _, item in ipairs(items) do labels[item.label] = true end
  check('completion after -> offers blocks and values, not `network`', labels.conv and labels.x and not labels.network and not labels.experiment, vim.tbl_keys(labels))
  vim.api.nvim_buf_set_lines(buf, row + 1, row + 2, false, {})

  local refs = request('textDocument/references', at(find('block bottleneck', 6), { context = { includeDeclaration = true } })) or {}
  local clean = #refs == 3
  for _, ref in ipairs(refs) do
    local text = lines()[ref.range.start.line + 1]:sub(ref.range.start.character + 1)
    clean = clean and vim.startswith(text, 'bottleneck')
  end
  check('references of bottleneck: its declaration and two calls, no `in`', clean, refs)

  local _, err = request('textDocument/rename', at(find('in -> conv(width, 1'), { newName = 'x' }))
  check('renaming `in` is refused with GN0232', err and err.message and err.message:find('GN0232', 1, true), err)

  local edit = request('textDocument/rename', at(find('block bottleneck', 6), { newName = 'bneck' }))
  if edit then vim.lsp.util.apply_workspace_edit(edit, 'utf-16') end
  local text = table.concat(lines(), '\n')
  check('rename of bottleneck rewrites it and leaves the `in`s', edit and text:find('block bneck(width', 1, true) and text:find('bneck(width, stride, project = true)', 1, true)
    and not text:find('bottleneck(', 1, true) and select(2, text:gsub('short = in\n', '')) == 1, edit)

  -- `w = p / 2` inside a block: GN0015 with its help.
  local count = #lines()
  vim.api.nvim_buf_set_lines(buf, count, count, false, { 'block half(p) {', '  w = p / 2', '  conv(w, 3)', '}' })
  local found
  vim.wait(60000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if code(d) == 'GN0015' then found = d return true end
    end
    return false
  end, 50)
  check('`w = p / 2` in a block gets GN0015: write `let w = p / 2`', found and found.message:find('let w = p / 2', 1, true), found or vim.diagnostic.get(buf))
  vim.api.nvim_buf_set_lines(buf, count, count + 4, false, {})
  check('the diagnostics clear when it is removed', vim.wait(60000, function() return #vim.diagnostic.get(buf) == 0 end, 50), vim.diagnostic.get(buf))

  local messy = find('  x = image -> stem').line
  vim.api.nvim_buf_set_lines(buf, messy, messy + 1, false, { '  x=image->stem' })
  local edits = request('textDocument/formatting', { textDocument = { uri = uri }, options = { tabSize = 2, insertSpaces = true } })
  if edits then vim.lsp.util.apply_text_edits(edits, buf, 'utf-16') end
  check('formatting gives the canonical layout', lines()[messy + 1] == '  x = image -> stem', lines()[messy + 1])
end

local ok, failure = pcall(run)
if not ok then check('the checks ran to the end', false, failure) end
local out = io.open(os.getenv('GNET_NVIM_OUT'), 'w')
out:write(vim.fn.json_encode(results))
out:close()
vim.cmd('qa!')
