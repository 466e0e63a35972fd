-- Drives `parallax lsp` from headless Neovim (0.7 or newer): opens a claim set with a typo,
-- then asserts the diagnostic, the completion list and the quick fix. Run by tests/lsp_nvim.rs
-- with PARALLAX_BIN (the binary) and PARALLAX_FILE (the claim set) in the environment.

local bin = os.getenv('PARALLAX_BIN')
local file = os.getenv('PARALLAX_FILE')

local function fail(msg)
  io.stderr:write('FAIL: ' .. msg .. '\n')
  vim.cmd('cquit! 1')
end

local function check(cond, msg)
  if not cond then fail(msg) end
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({
  name = 'parallax',
  cmd = { bin, 'lsp' },
  root_dir = vim.fn.fnamemodify(file, ':h:h'),
})
check(id, 'the server did not start')
vim.lsp.buf_attach_client(bufnr, id)
local client = vim.lsp.get_client_by_id(id)

-- the diagnostic, at the misspelt scene
check(vim.wait(20000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50), 'no diagnostics')
local d = vim.diagnostic.get(bufnr)[1]
check(d.message:find('unknown scene "car%-encountr"', 1) ~= nil, 'diagnostic: ' .. d.message)
check(d.message:find('did you mean "car%-encounter"%?') ~= nil, 'help: ' .. d.message)
check(d.severity == vim.diagnostic.severity.ERROR, 'severity ' .. tostring(d.severity))
local line = vim.api.nvim_buf_get_lines(bufnr, d.lnum, d.lnum + 1, false)[1]
check(line:sub(d.col + 1, d.end_col) == '"car-encountr"', 'range: ' .. line:sub(d.col + 1, d.end_col))

-- completion inside the misspelt value
local uri = vim.uri_from_bufnr(bufnr)
local res = client.request_sync('textDocument/completion', {
  textDocument = { uri = uri },
  position = { line = d.lnum, character = d.col + 4 },
}, 10000, bufnr)
check(res and res.result, 'no completion: ' .. vim.inspect(res))
local labels = {}
for _, item in ipairs(res.result.items or res.result) do table.insert(labels, item.label) end
local joined = table.concat(labels, ',')
check(joined:find('car%-encounter') and joined:find('tears'), 'completion: ' .. joined)

-- the quick fix, applied to the buffer
local range = {
  start = { line = d.lnum, character = d.col },
  ['end'] = { line = d.end_lnum, character = d.end_col },
}
local actions = client.request_sync('textDocument/codeAction', {
  textDocument = { uri = uri },
  range = range,
  context = { diagnostics = {} },
}, 10000, bufnr)
check(actions and actions.result and actions.result[1], 'no code action: ' .. vim.inspect(actions))
local action = actions.result[1]
check(action.title == 'Replace with "car-encounter"', 'action: ' .. action.title)
vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
line = vim.api.nvim_buf_get_lines(bufnr, d.lnum, d.lnum + 1, false)[1]
check(line == 'scene = "car-encounter"', 'after the fix: ' .. line)
-- the server sees the edit and clears the diagnostic
check(vim.wait(20000, function() return #vim.diagnostic.get(bufnr) == 0 end, 50),
  'the diagnostic stayed: ' .. vim.inspect(vim.diagnostic.get(bufnr)))

io.stdout:write('nvim: diagnostic, completion and quick fix ok\n')
client.stop()
vim.cmd('qall!')
