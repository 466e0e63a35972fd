//! The loop: the handshake that settles the position encoding, then each message in turn,
//! a notification changing the state (and publishing diagnostics), a request answered from
//! it, until `shutdown` and `exit`. Requests that cannot be answered get an error response;
//! nothing a client or a corpus sends ends the loop but the end of the connection.

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, GotoDefinition, HoverRequest,
    PrepareRenameRequest, References, Rename, Request as _,
};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    CompletionResponse, DocumentSymbolResponse, GotoDefinitionResponse, InitializeParams, OneOf,
    PrepareRenameResponse, PublishDiagnosticsParams, RenameOptions, SaveOptions,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, WorkDoneProgressOptions,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::index::WorkIndex;
use super::position::Encoding;
use super::state::{Document, Publish, State};
use super::{actions, completion, hover, navigation, rename, symbols};

/// What the server can do, in the encoding agreed on.
fn capabilities(enc: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(enc.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["\"".into(), "'".into(), "=".into(), "[".into()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

/// Serves one client on `connection` until it asks to exit or goes away.
pub fn run(connection: &Connection) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_deref());
    let enc = Encoding::negotiate(offered);
    let result = serde_json::json!({
        "capabilities": capabilities(enc),
        "serverInfo": ServerInfo {
            name: "parallax".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let mut state = State::new(enc);
    for msg in &connection.receiver {
        match msg {
            Message::Request(req) => {
                if connection
                    .handle_shutdown(&req)
                    .map_err(|e| e.to_string())?
                {
                    return Ok(());
                }
                let response = request(&mut state, req);
                send(connection, Message::Response(response))?;
            }
            Message::Notification(n) if n.method == "exit" => return Ok(()),
            Message::Notification(n) => {
                for p in notification(&mut state, n) {
                    publish(connection, p)?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

fn send(connection: &Connection, msg: Message) -> Result<(), String> {
    connection
        .sender
        .send(msg)
        .map_err(|_| "the client went away".to_string())
}

fn publish(connection: &Connection, p: Publish) -> Result<(), String> {
    let params = PublishDiagnosticsParams {
        uri: p.uri,
        diagnostics: p.diagnostics,
        version: p.version,
    };
    send(
        connection,
        Message::Notification(Notification::new(PublishDiagnostics::METHOD.into(), params)),
    )
}

fn notification(state: &mut State, n: Notification) -> Vec<Publish> {
    fn params<P: DeserializeOwned>(n: Notification) -> Option<P> {
        serde_json::from_value(n.params).ok()
    }
    match n.method.as_str() {
        DidOpenTextDocument::METHOD => params::<lsp_types::DidOpenTextDocumentParams>(n)
            .map(|p| {
                let d = p.text_document;
                state.open(d.uri, d.version, d.text)
            })
            .unwrap_or_default(),
        DidChangeTextDocument::METHOD => params::<lsp_types::DidChangeTextDocumentParams>(n)
            .map(|p| {
                let d = p.text_document;
                state.change(&d.uri, d.version, p.content_changes)
            })
            .unwrap_or_default(),
        DidCloseTextDocument::METHOD => params::<lsp_types::DidCloseTextDocumentParams>(n)
            .map(|p| state.close(&p.text_document.uri))
            .unwrap_or_default(),
        // the buffer already holds what was saved
        DidSaveTextDocument::METHOD => Vec::new(),
        DidChangeWatchedFiles::METHOD => params::<lsp_types::DidChangeWatchedFilesParams>(n)
            .map(|p| {
                let uris: Vec<_> = p.changes.into_iter().map(|c| c.uri).collect();
                state.files_changed(&uris)
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// An error response.
fn error(id: RequestId, code: ErrorCode, message: impl Into<String>) -> Response {
    Response::new_err(id, code as i32, message.into())
}

fn request(state: &mut State, req: Request) -> Response {
    let id = req.id.clone();
    match answer(state, req) {
        Ok(value) => Response {
            id,
            response_result: Ok(value),
        },
        Err((code, message)) => error(id, code, message),
    }
}

type Answer = Result<Value, (ErrorCode, String)>;

fn parse<P: DeserializeOwned>(req: Request) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(req.params).map_err(|e| {
        (
            ErrorCode::InvalidParams,
            format!("invalid params for {}: {e}", req.method),
        )
    })
}

fn json(value: impl serde::Serialize) -> Answer {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

/// Runs `f` on the document a request names and its work's index; `null` when the URI is
/// no corpus file the server can read.
fn on_doc(
    state: &mut State,
    uri: &lsp_types::Uri,
    f: impl FnOnce(&State, &Document, &WorkIndex) -> Answer,
) -> Answer {
    let Some(doc) = state.document(uri) else {
        return json(Value::Null);
    };
    match state.get(&doc) {
        Some((doc, index)) => f(state, doc, index),
        None => json(Value::Null),
    }
}

const NOTHING_TO_RENAME: &str =
    "nothing to rename here: put the cursor on a scene, reading or person id";

fn answer(state: &mut State, req: Request) -> Answer {
    let enc = state.encoding;
    match req.method.as_str() {
        Completion::METHOD => {
            let p: lsp_types::CompletionParams = parse(req)?;
            let at = p.text_document_position;
            on_doc(state, &at.text_document.uri, |_, doc, index| {
                let items = completion::complete(index, doc, at.position, enc);
                json(CompletionResponse::Array(items))
            })
        }
        HoverRequest::METHOD => {
            let p: lsp_types::HoverParams = parse(req)?;
            let at = p.text_document_position_params;
            on_doc(state, &at.text_document.uri, |_, doc, index| {
                let offset = doc.lines.offset(&doc.text, at.position, enc);
                json(
                    navigation::entry_at(index, doc, offset)
                        .and_then(|e| hover::hover(index, doc, &e, enc)),
                )
            })
        }
        GotoDefinition::METHOD => {
            let p: lsp_types::GotoDefinitionParams = parse(req)?;
            let at = p.text_document_position_params;
            on_doc(state, &at.text_document.uri, |_, doc, index| {
                let offset = doc.lines.offset(&doc.text, at.position, enc);
                let found = navigation::entry_at(index, doc, offset)
                    .and_then(|e| navigation::definition(index, e.field, e.entry?, enc))
                    .or_else(|| navigation::text_file(index, doc, offset));
                json(found.map(GotoDefinitionResponse::Scalar))
            })
        }
        References::METHOD => {
            let p: lsp_types::ReferenceParams = parse(req)?;
            let at = p.text_document_position;
            on_doc(state, &at.text_document.uri, |_, doc, index| {
                let offset = doc.lines.offset(&doc.text, at.position, enc);
                let Some(e) = navigation::entry_at(index, doc, offset) else {
                    return json(Value::Null);
                };
                let Some(entry) = e.entry else {
                    return json(Value::Null);
                };
                let declaration = p.context.include_declaration;
                let mut found: Vec<_> = (declaration
                    .then(|| navigation::definition(index, e.field, entry, enc)))
                .flatten()
                .into_iter()
                .collect();
                found.extend(navigation::references(index, e.field, entry));
                json(found)
            })
        }
        PrepareRenameRequest::METHOD => {
            let p: lsp_types::TextDocumentPositionParams = parse(req)?;
            on_doc(state, &p.text_document.uri, |state, doc, index| {
                let offset = doc.lines.offset(&doc.text, p.position, enc);
                let at = navigation::entry_at(index, doc, offset)
                    .ok_or((ErrorCode::RequestFailed, NOTHING_TO_RENAME.to_string()))?;
                rename::check(state, index, at.field, &at.name)
                    .map_err(|m| (ErrorCode::RequestFailed, m))?;
                json(PrepareRenameResponse::RangeWithPlaceholder {
                    range: doc.lines.range(&doc.text, at.span.clone(), enc),
                    placeholder: at.name.clone(),
                })
            })
        }
        Rename::METHOD => {
            let p: lsp_types::RenameParams = parse(req)?;
            let at = p.text_document_position;
            on_doc(state, &at.text_document.uri, |state, doc, index| {
                let offset = doc.lines.offset(&doc.text, at.position, enc);
                let target = navigation::entry_at(index, doc, offset)
                    .ok_or((ErrorCode::RequestFailed, NOTHING_TO_RENAME.to_string()))?;
                let edit =
                    rename::edits(state, index, target.field, &target.name, &p.new_name, enc)
                        .map_err(|m| (ErrorCode::RequestFailed, m))?;
                json(edit)
            })
        }
        CodeActionRequest::METHOD => {
            let p: lsp_types::CodeActionParams = parse(req)?;
            on_doc(state, &p.text_document.uri.clone(), |_, doc, _| {
                json(actions::actions(doc, &p))
            })
        }
        DocumentSymbolRequest::METHOD => {
            let p: lsp_types::DocumentSymbolParams = parse(req)?;
            on_doc(state, &p.text_document.uri, |_, doc, _| {
                json(DocumentSymbolResponse::Nested(symbols::symbols(doc, enc)))
            })
        }
        other => Err((ErrorCode::MethodNotFound, format!("unknown method {other}"))),
    }
}
