//! `parallax lsp` as a process: JSON-RPC over standard input and output, a whole session
//! from `initialize` to `exit`, and input that is not JSON-RPC.

use std::io::{BufReader, Write};
use std::process::{Command, Stdio};

use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::json;

#[test]
fn a_session_over_stdio_ends_with_exit() {
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/interpretations/anora");
    let file = std::path::Path::new(corpus).join("sources/ending-explained.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let uri = url::Url::from_file_path(&file).unwrap().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_parallax"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let mut output = BufReader::new(child.stdout.take().unwrap());
    let mut send = |m: Message| m.write(&mut input).unwrap();
    send(Message::Request(Request::new(
        RequestId::from(1),
        "initialize".into(),
        json!({ "capabilities": {} }),
    )));
    send(Message::Notification(Notification::new(
        "initialized".into(),
        json!({}),
    )));
    send(Message::Notification(Notification::new(
        "textDocument/didOpen".into(),
        json!({ "textDocument": { "uri": uri, "languageId": "toml", "version": 1, "text": text } }),
    )));
    send(Message::Request(Request::new(
        RequestId::from(2),
        "textDocument/documentSymbol".into(),
        json!({ "textDocument": { "uri": uri } }),
    )));
    send(Message::Request(Request::new(
        RequestId::from(3),
        "shutdown".into(),
        json!(null),
    )));
    send(Message::Notification(Notification::new(
        "exit".into(),
        json!(null),
    )));
    let mut published = None;
    let mut symbols = None;
    while let Some(msg) = Message::read(&mut output).unwrap() {
        match msg {
            Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => {
                published = Some(n.params)
            }
            Message::Response(r) if r.id == RequestId::from(2) => {
                symbols = Some(serde_json::to_value(r).unwrap()["result"].clone())
            }
            _ => {}
        }
    }
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    // the bundled corpus is valid, its texts bundled: nothing to say
    let published = published.unwrap();
    let diags = published["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 0, "{diags:#?}");
    let symbols = symbols.unwrap();
    assert!(symbols.as_array().unwrap().len() > 5, "{symbols}");
    assert!(
        symbols[1]["name"].as_str().unwrap().contains(" · "),
        "{symbols}"
    );
}

#[test]
fn input_that_is_not_json_rpc_ends_the_server_with_a_message() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_parallax"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input
        .write_all(b"Content-Length: 12\r\n\r\n{\x1b[2J nope}")
        .unwrap();
    drop(input);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error: parallax lsp:"), "{stderr}");
    assert!(!stderr.contains('\x1b'), "{stderr:?}");
    assert!(out.stdout.is_empty());
}
