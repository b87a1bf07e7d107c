/** `gnet lsp`: the language server over stdio; runs until the editor asks it to exit. */
export async function lsp(): Promise<number> {
  const { startServer } = await import('../../lsp/server.js');
  const connection = startServer();
  return new Promise<number>((resolve) => connection.onExit(() => resolve(0)));
}
