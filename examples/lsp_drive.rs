//! Drives `parallax lsp` over pipes, as an editor would, and times it: for `benches/lsp.sh`.
//!
//! ```text
//! cargo run --release --example lsp_drive -- PARALLAX WORK_DIR [--claims C] [--changes N]
//! ```
//!
//! Starts `PARALLAX lsp`, initialises it, and opens a claim set of WORK_DIR made of C claims
//! (default 100) taken from the work's own claim files, as a new source `lsp-bench.toml`
//! (the file is not written: the buffer is all the server sees). Then it sends N full-text
//! changes (default 50), each making one claim's scene unknown or correct again, and waits
//! for each one's diagnostics. It prints, one per line:
//!
//! * `startup_ms`: from starting the process to the diagnostics of the opened buffer (the
//!   work indexed, the buffer checked);
//! * `change_median_ms`, `change_p90_ms`: from a `didChange` notification to its
//!   `publishDiagnostics`;
//! * `peak_kib`: the server's peak resident memory (Linux), read before it shuts down.

use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Instant;

use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::{Value, json};

struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Server {
    fn send(&mut self, msg: Message) {
        msg.write(&mut self.stdin).expect("the server's input");
        self.stdin.flush().expect("the server's input");
    }

    fn recv(&mut self) -> Message {
        Message::read(&mut self.stdout)
            .expect("the server's output")
            .expect("the server closed its output")
    }

    fn request(&mut self, id: i32, method: &str, params: Value) -> Value {
        self.send(Message::Request(Request::new(
            RequestId::from(id),
            method.into(),
            params,
        )));
        loop {
            if let Message::Response(r) = self.recv() {
                return serde_json::to_value(r).expect("a response");
            }
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(Message::Notification(Notification::new(
            method.into(),
            params,
        )));
    }

    /// Waits for the diagnostics of `uri` at `version`; returns how many there are.
    fn diagnostics(&mut self, uri: &str, version: i32) -> usize {
        loop {
            if let Message::Notification(n) = self.recv()
                && n.method == "textDocument/publishDiagnostics"
                && n.params["uri"] == uri
                && n.params["version"] == version
            {
                return n.params["diagnostics"].as_array().map_or(0, Vec::len);
            }
        }
    }
}

/// A claim set of `claims` claims, from the `[[claim]]` tables of the work's claim files.
fn buffer(work: &Path, claims: usize) -> String {
    let mut files: Vec<PathBuf> = std::fs::read_dir(work.join("sources"))
        .expect("the work's sources/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut out =
        String::from("[source]\ntitle = \"A claim set being written\"\nkind = \"essay\"\n");
    let mut n = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a claim file");
        for block in text.split("[[claim]]").skip(1) {
            if n == claims {
                return out;
            }
            out.push_str("\n[[claim]]");
            out.push_str(block.trim_end());
            out.push('\n');
            n += 1;
        }
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(bin), Some(work)) = (args.first(), args.get(1)) else {
        eprintln!("usage: lsp_drive PARALLAX WORK_DIR [--claims C] [--changes N]");
        std::process::exit(2);
    };
    let option = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map_or(default, |v| v.parse().expect("a number"))
    };
    let (claims, changes) = (option("--claims", 100), option("--changes", 50));
    let work = std::fs::canonicalize(work).expect("WORK_DIR");
    let text = buffer(&work, claims);
    let broken = text.replacen("scene = \"", "scene = \"no-such-", 1);
    let path = work.join("sources/lsp-bench.toml");
    let uri = url::Url::from_file_path(&path).expect("a path").to_string();

    let started = Instant::now();
    let mut child = Command::new(bin)
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("parallax lsp");
    let stdin = child.stdin.take().expect("stdin");
    let stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut server = Server {
        child,
        stdin,
        stdout,
    };
    server.request(
        1,
        "initialize",
        json!({ "processId": null, "capabilities": {} }),
    );
    server.notify("initialized", json!({}));
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "toml", "version": 1, "text": text } }),
    );
    let found = server.diagnostics(&uri, 1);
    let startup = started.elapsed();
    let mut times = Vec::with_capacity(changes);
    for i in 0..changes {
        let version = 2 + i as i32;
        let new = if i % 2 == 0 { &broken } else { &text };
        let sent = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": new }] }),
        );
        let n = server.diagnostics(&uri, version);
        times.push(sent.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(n > found, i % 2 == 0, "the typo is reported, then gone");
    }
    let peak = std::fs::read_to_string(format!("/proc/{}/status", server.child.id()))
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?.to_string();
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        });
    server.request(2, "shutdown", Value::Null);
    server.notify("exit", Value::Null);
    let _ = server.child.wait();
    times.sort_by(f64::total_cmp);
    let at = |q: f64| {
        times
            .get(((times.len() as f64 - 1.0) * q).round() as usize)
            .copied()
    };
    println!("claims {claims}");
    println!("startup_ms {:.1}", startup.as_secs_f64() * 1000.0);
    if let (Some(median), Some(p90)) = (at(0.5), at(0.9)) {
        println!("change_median_ms {median:.2}");
        println!("change_p90_ms {p90:.2}");
    }
    if let Some(peak) = peak {
        println!("peak_kib {peak}");
    }
}
