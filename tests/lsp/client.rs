//! A test client: drives the real server loop over an in-memory connection and keeps the
//! notifications it sends (published diagnostics) for the assertions.

use std::path::Path;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

pub struct Client {
    conn: Connection,
    server: Option<JoinHandle<Result<(), String>>>,
    next: i32,
    /// notifications received and not yet looked at
    pub pending: Vec<Notification>,
}

const WAIT: Duration = Duration::from_secs(20);

impl Client {
    /// A server started and initialised with these client capabilities.
    pub fn start(capabilities: Value) -> (Client, Value) {
        let (server, conn) = Connection::memory();
        let handle = std::thread::spawn(move || parallax::lsp::run(&server));
        let mut client = Client {
            conn,
            server: Some(handle),
            next: 0,
            pending: Vec::new(),
        };
        let init = client.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": capabilities }),
        );
        client.notify("initialized", json!({}));
        (client, init)
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Message::Notification(Notification::new(
                method.into(),
                params,
            )))
            .unwrap();
    }

    /// The response to a request: `Ok(result)` or `Err(error)`, as JSON.
    pub fn call(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        self.next += 1;
        let id = RequestId::from(self.next);
        self.conn
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.into(),
                params,
            )))
            .unwrap();
        let deadline = Instant::now() + WAIT;
        loop {
            let msg = self
                .conn
                .receiver
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("no answer to {method}"));
            match msg {
                Message::Response(r) if r.id == id => {
                    let value = serde_json::to_value(&r).unwrap();
                    return match value.get("error") {
                        Some(e) => Err(e.clone()),
                        None => Ok(value["result"].clone()),
                    };
                }
                Message::Notification(n) => self.pending.push(n),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.call(method, params)
            .unwrap_or_else(|e| panic!("{method} failed: {e}"))
    }

    /// The next diagnostics published for `uri`.
    pub fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(i) = self.pending.iter().position(|n| {
                n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri
            }) {
                let n = self.pending.remove(i);
                return n.params["diagnostics"].as_array().unwrap().clone();
            }
            match self
                .conn
                .receiver
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(Message::Notification(n)) => self.pending.push(n),
                Ok(other) => panic!("unexpected {other:?}"),
                Err(_) => panic!("no diagnostics for {uri}"),
            }
        }
    }

    pub fn open(&mut self, path: &Path, text: &str) -> String {
        let uri = uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "toml", "version": 1, "text": text } }),
        );
        uri
    }

    /// Shuts the server down and waits for its loop to end.
    pub fn shutdown(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let result = self.server.take().unwrap().join().unwrap();
        assert_eq!(result, Ok(()));
    }
}

pub fn uri(path: &Path) -> String {
    url::Url::from_file_path(path).unwrap().to_string()
}

pub fn pos(line: u32, character: u32) -> Value {
    json!({ "line": line, "character": character })
}

/// A request's `textDocument` + `position`.
pub fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": pos(line, character) })
}
