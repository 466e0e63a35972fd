// Starts `parallax lsp` for the corpus files of the workspace: each work's `work.toml`,
// its claim sets (`sources/*.toml`) and its codings (`codings/<coder>/*.toml`). The
// server finds each work from the path of the file opened, so nothing else is configured.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

/** The corpus files, as glob patterns the client selects documents by. */
const CORPUS_FILES = ['**/work.toml', '**/sources/*.toml', '**/codings/*/*.toml'];

function activate(context) {
  const config = vscode.workspace.getConfiguration('parallax');
  const command = config.get('path') || 'parallax';
  const serverOptions = { command, args: ['lsp'] };
  const clientOptions = {
    documentSelector: CORPUS_FILES.map((pattern) => ({ scheme: 'file', pattern })),
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{work.toml,sources/*.toml,codings/*/*.toml}'),
    },
  };
  client = new LanguageClient('parallax', 'parallax', serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start().catch((err) => {
    vscode.window.showErrorMessage(
      `parallax: could not start \`${command} lsp\` (${err.message}). ` +
        'Install parallax (cargo install --path .) or set "parallax.path".'
    );
  });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
