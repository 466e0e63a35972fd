//! `parallax lsp`, driven in process over `lsp_server::Connection::memory()`: every request
//! and notification the server takes, asserted on its JSON replies, and bad input (buffers
//! that are not TOML, enormous lines, control characters, files that are not open,
//! positions out of range, astral characters in UTF-16, hostile corpora).

#[path = "lsp/client.rs"]
mod client;

use std::fs;
use std::path::{Path, PathBuf};

use client::{Client, at, pos, uri};
use serde_json::{Value, json};

const WORK: &str = r#"[work]
title = "Anora"

[[scene]]
id = "car-encounter"
title = "Sex in the car"
aliases = ["car scene"]
description = "Ani and Igor in the car."

[[scene]]
id = "tears"
title = "Ani's tears"

[[reading]]
id = "transaction"
label = "Transaction"
description = "Intimacy offered as payment."
excludes = ["reclaimed-power"]

[[reading]]
id = "reclaimed-power"
label = "Reclaimed power"
aliases = ["agency"]

[[person]]
id = "sean-baker"
name = "Sean Baker"
aliases = ["Baker"]
"#;

const A: &str = r#"[source]
title = "A"
kind = "article"
text = "a.txt"

[[claim]]
scene = "car-encounter"
reading = "transaction"
summary = "She pays him back."
quote = "she repays him with sex"
"#;

const B: &str = r#"[source]
title = "B"

[[claim]]
scene = "car scene"
reading = "agency"
summary = "Power taken back."
attributed_to = "Baker"

[[claim]]
scene = "tears"
reading = "transaction"
stance = "rejects"
summary = "Not a sale."
"#;

const CODING: &str = r#"[[claim]]
scene = "car-encounter"
reading = "transaction"
summary = "Payment."
"#;

/// A corpus of one work, `anora`: two sources, a coding, an archived text.
fn corpus() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("anora");
    fs::create_dir_all(work.join("sources")).unwrap();
    fs::create_dir_all(work.join("texts")).unwrap();
    fs::create_dir_all(work.join("codings/alice")).unwrap();
    fs::write(work.join("work.toml"), WORK).unwrap();
    fs::write(work.join("sources/a.toml"), A).unwrap();
    fs::write(work.join("sources/b.toml"), B).unwrap();
    fs::write(work.join("codings/alice/a.toml"), CODING).unwrap();
    fs::write(
        work.join("texts/a.txt"),
        "In the car she repays him with sex,\nas if everything were an exchange.\n",
    )
    .unwrap();
    (dir, work)
}

fn start() -> Client {
    Client::start(json!({})).0
}

/// The first line of each diagnostic's message.
fn titles(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| {
            d["message"]
                .as_str()
                .unwrap()
                .lines()
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn the_handshake_settles_the_position_encoding() {
    let (client, init) = Client::start(json!({}));
    let caps = &init["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental");
    for cap in [
        "completionProvider",
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "renameProvider",
        "codeActionProvider",
        "documentSymbolProvider",
    ] {
        assert!(!caps[cap].is_null(), "{cap}");
    }
    assert_eq!(caps["renameProvider"]["prepareProvider"], true);
    assert_eq!(init["serverInfo"]["name"], "parallax");
    client.shutdown();
    let (client, init) =
        Client::start(json!({ "general": { "positionEncodings": ["utf-16", "utf-8"] } }));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    client.shutdown();
}

#[test]
fn a_typo_gets_check_s_diagnostic_and_its_quick_fix() {
    let (_dir, work) = corpus();
    let mut c = start();
    let text = A.replace("\"car-encounter\"", "\"car-encountr\"");
    let uri = c.open(&work.join("sources/a.toml"), &text);
    let diags = c.diagnostics(&uri);
    assert_eq!(
        titles(&diags),
        ["unknown scene \"car-encountr\""],
        "{diags:#?}"
    );
    let d = &diags[0];
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "parallax");
    // on the value, quotes included: line 6, `scene = "car-encountr"`
    assert_eq!(d["range"], json!({ "start": pos(6, 8), "end": pos(6, 22) }));
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains("help: did you mean \"car-encounter\"?"),
        "{message}"
    );
    assert!(
        message.contains("not a scene of this work's work.toml"),
        "{message}"
    );

    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": d["range"],
            "context": { "diagnostics": [d] },
        }),
    );
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["title"], "Replace with \"car-encounter\"");
    let edit = &action["edit"]["changes"][&uri][0];
    assert_eq!(edit["range"], d["range"]);
    assert_eq!(edit["newText"], "\"car-encounter\"");
    // a client that does not send the data back gets the fixes of what was published
    let mut bare = d.clone();
    bare.as_object_mut().unwrap().remove("data");
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": d["range"], "context": { "diagnostics": [bare] } }),
    );
    assert_eq!(actions[0]["title"], "Replace with \"car-encounter\"");
    c.shutdown();
}

#[test]
fn every_did_you_mean_is_a_quick_fix() {
    let (_dir, work) = corpus();
    let mut c = start();
    let text = "[source]\ntitle = \"A\"\nkind = \"artcle\"\n\n[[claim]]\nscene = \"tears\"\nreadin = \"transaction\"\nreading = \"transactio\"\nstance = \"endorse\"\nsummary = \"x\"\nattributed_to = \"Sean Bakr\"\n";
    let uri = c.open(&work.join("sources/c.toml"), text);
    let diags = c.diagnostics(&uri);
    let fixes: Vec<String> = diags
        .iter()
        .flat_map(|d| d["data"]["fixes"].as_array().cloned().unwrap_or_default())
        .map(|f| f["newText"].as_str().unwrap().to_string())
        .collect();
    for want in [
        "\"article\"",
        "reading",
        "\"transaction\"",
        "\"endorses\"",
        "\"Sean Baker\"",
    ] {
        assert!(
            fixes.contains(&want.to_string()),
            "{want} in {fixes:?}\n{diags:#?}"
        );
    }
    c.shutdown();
}

#[test]
fn quotes_are_checked_against_the_archived_text_and_marked_on_the_quote() {
    let (_dir, work) = corpus();
    let mut c = start();
    let path = work.join("sources/a.toml");
    let uri = c.open(&path, A);
    assert_eq!(c.diagnostics(&uri), Vec::<Value>::new());
    let text = A.replace("she repays him with sex", "she repays him with money");
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": text }] }),
    );
    let diags = c.diagnostics(&uri);
    assert_eq!(titles(&diags).len(), 1, "{diags:#?}");
    let d = &diags[0];
    assert!(
        titles(&diags)[0].starts_with("quote not found in "),
        "{diags:#?}"
    );
    // on the quote's line, from its value
    assert_eq!(d["range"]["start"], pos(9, 8));
    let related = &d["relatedInformation"][0];
    assert_eq!(
        related["location"]["uri"],
        uri_of(&work.join("texts/a.txt"))
    );
    assert_eq!(related["location"]["range"]["start"], pos(0, 0));
    assert!(
        related["message"]
            .as_str()
            .unwrap()
            .contains("she repays him with sex"),
        "{related}"
    );
    c.shutdown();
}

/// A coding without a `[source]` table of its own takes its source's text: its quotes are
/// checked against it, as `check` checks them.
#[test]
fn a_coding_is_checked_against_its_source_s_text() {
    let (_dir, work) = corpus();
    let mut c = start();
    let path = work.join("codings/alice/a.toml");
    let uri = c.open(&path, CODING);
    assert_eq!(c.diagnostics(&uri), Vec::<Value>::new());
    let text = format!("{CODING}quote = \"she repays him with money\"\n");
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": text }] }),
    );
    let diags = c.diagnostics(&uri);
    assert_eq!(titles(&diags).len(), 1, "{diags:#?}");
    assert!(
        titles(&diags)[0].starts_with("quote not found in "),
        "{diags:#?}"
    );
    // and no complaint about a missing [source] table
    let text = format!("{CODING}quote = \"she repays him with sex\"\n");
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "text": text }] }),
    );
    assert_eq!(c.diagnostics(&uri), Vec::<Value>::new());
    c.shutdown();
}

fn uri_of(path: &Path) -> String {
    uri(path)
}

#[test]
fn a_duplicate_points_to_the_first() {
    let (_dir, work) = corpus();
    let mut c = start();
    let claim = "\n[[claim]]\nscene = \"tears\"\nreading = \"transaction\"\nsummary = \"s\"\n";
    let text = format!("[source]\ntitle = \"D\"\n{claim}{claim}");
    let uri = c.open(&work.join("sources/d.toml"), &text);
    let diags = c.diagnostics(&uri);
    let dup = diags
        .iter()
        .find(|d| {
            d["message"]
                .as_str()
                .unwrap()
                .starts_with("duplicate claim")
        })
        .unwrap_or_else(|| panic!("{diags:#?}"));
    assert_eq!(dup["range"]["start"], pos(8, 0));
    let related = &dup["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], uri);
    assert_eq!(related["range"]["start"], pos(3, 0));
    c.shutdown();
}

#[test]
fn incremental_changes_and_work_toml_edits_recheck_the_open_files() {
    let (_dir, work) = corpus();
    let mut c = start();
    let a = c.open(&work.join("sources/a.toml"), A);
    assert!(c.diagnostics(&a).is_empty());
    // an incremental change: `transaction` → `transactio` (delete one character)
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": a, "version": 2 }, "contentChanges": [
            { "range": { "start": pos(7, 21), "end": pos(7, 22) }, "text": "" }
        ] }),
    );
    assert_eq!(
        titles(&c.diagnostics(&a)),
        ["unknown reading \"transactio\""]
    );
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": a, "version": 3 }, "contentChanges": [
            { "range": { "start": pos(7, 21), "end": pos(7, 21) }, "text": "n" }
        ] }),
    );
    assert!(c.diagnostics(&a).is_empty());
    // the codebook's buffer renames the scene: the open claim set is checked again
    let w = c.open(&work.join("work.toml"), WORK);
    assert!(titles(&c.diagnostics(&w)).is_empty());
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": w, "version": 2 }, "contentChanges": [
            { "range": { "start": pos(4, 6), "end": pos(4, 19) }, "text": "car-ride" }
        ] }),
    );
    let mut seen = titles(&c.diagnostics(&a));
    seen.sort();
    assert_eq!(seen, ["unknown scene \"car-encounter\""]);
    // closing the codebook: the file on disk counts again
    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": w } }),
    );
    assert!(c.diagnostics(&w).is_empty());
    assert!(c.diagnostics(&a).is_empty());
    c.shutdown();
}

#[test]
fn work_toml_gets_its_own_diagnostics_and_coverage_warnings() {
    let (_dir, work) = corpus();
    let mut c = start();
    let text = format!(
        "{WORK}\n[[scene]]\nid = \"Bad Id\"\ntitle = \"B\"\n\n[[reading]]\nid = \"unused\"\nlabel = \"U\"\nexcludes = [\"transacton\"]\n"
    );
    let w = c.open(&work.join("work.toml"), &text);
    let diags = c.diagnostics(&w);
    let t = titles(&diags);
    assert!(
        t.contains(&"scene id \"Bad Id\" is not lowercase kebab-case".to_string()),
        "{t:?}"
    );
    assert!(
        t.contains(&"`excludes` names an unknown reading \"transacton\"".to_string()),
        "{t:?}"
    );
    let fix = diags
        .iter()
        .find(|d| d["message"].as_str().unwrap().starts_with("scene id"))
        .unwrap();
    assert_eq!(fix["data"]["fixes"][0]["newText"], "\"bad-id\"");
    // without errors, the warnings about what no claim uses
    let text = format!("{WORK}\n[[reading]]\nid = \"unused\"\nlabel = \"U\"\n");
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": w, "version": 2 }, "contentChanges": [{ "text": text }] }),
    );
    let diags = c.diagnostics(&w);
    assert_eq!(titles(&diags), ["no source uses reading \"unused\""]);
    assert_eq!(diags[0]["severity"], 2);
    c.shutdown();
}

#[test]
fn a_buffer_that_does_not_parse_still_gets_every_diagnostic_recovery_finds() {
    let (_dir, work) = corpus();
    let mut c = start();
    let text = "[source]\ntitle = \"R\"\n\n[[claim]]\nscene = \"tears\nreading = \"transaction\"\n\n[[claim]]\nscene = \"tearz\"\nreading = \"transaction\"\nsummary = \"x\"\n";
    let uri = c.open(&work.join("sources/r.toml"), text);
    let t = titles(&c.diagnostics(&uri));
    assert!(t[0].starts_with("TOML syntax error"), "{t:?}");
    assert!(t.contains(&"unknown scene \"tearz\"".to_string()), "{t:?}");
    // not TOML at all
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": "<html>\u{1b}[2J\u{7}\n{{{{" }] }),
    );
    let t = titles(&c.diagnostics(&uri));
    assert!(
        t.iter().any(|m| m.starts_with("TOML syntax error")),
        "{t:?}"
    );
    c.shutdown();
}

#[test]
fn completion_offers_ids_aliases_stances_kinds_texts_and_fields() {
    let (_dir, work) = corpus();
    let mut c = start();
    let text = "[source]\ntitle = \"C\"\nkind = \"\"\ntext = \"\"\n\n[[claim]]\nscene = \"ca\"\nreading = \nstance = \"\"\nattributed_to = \"\"\nsu\n";
    let uri = c.open(&work.join("sources/c.toml"), text);
    let labels = |items: &Value| -> Vec<String> {
        items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    let scenes = c.request("textDocument/completion", at(&uri, 6, 10));
    assert_eq!(labels(&scenes), ["car-encounter", "car scene", "tears"]);
    let first = &scenes[0];
    assert_eq!(first["detail"], "Sex in the car");
    let doc = first["documentation"]["value"].as_str().unwrap();
    assert!(
        doc.contains("Ani and Igor in the car") && doc.contains("car scene"),
        "{doc}"
    );
    // inside the quotes: the name replaces what is typed
    assert_eq!(
        first["textEdit"]["range"],
        json!({ "start": pos(6, 9), "end": pos(6, 11) })
    );
    assert_eq!(first["textEdit"]["newText"], "car-encounter");
    // after `reading = ` with no quote yet: quoted
    let readings = c.request("textDocument/completion", at(&uri, 7, 10));
    assert_eq!(
        labels(&readings),
        ["transaction", "reclaimed-power", "agency"]
    );
    assert_eq!(readings[0]["textEdit"]["newText"], "\"transaction\"");
    assert_eq!(
        labels(&c.request("textDocument/completion", at(&uri, 8, 10))),
        ["endorses", "considers", "rejects"]
    );
    let people = labels(&c.request("textDocument/completion", at(&uri, 9, 17)));
    assert_eq!(people, ["Sean Baker", "sean-baker", "Baker"]);
    let kinds = labels(&c.request("textDocument/completion", at(&uri, 2, 8)));
    assert_eq!(kinds.len(), 8);
    assert!(kinds.contains(&"interview".to_string()));
    assert_eq!(
        labels(&c.request("textDocument/completion", at(&uri, 3, 8))),
        ["a.txt"]
    );
    let fields = c.request("textDocument/completion", at(&uri, 10, 2));
    assert!(labels(&fields).contains(&"summary".to_string()), "{fields}");
    assert!(
        !labels(&fields).contains(&"scene".to_string()),
        "already there"
    );
    c.shutdown();
}

#[test]
fn hover_tells_what_an_id_means_and_who_uses_it() {
    let (_dir, work) = corpus();
    let mut c = start();
    let uri = c.open(&work.join("sources/a.toml"), A);
    let hover = c.request("textDocument/hover", at(&uri, 7, 13));
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("**Transaction**"), "{value}");
    assert!(value.contains("Intimacy offered as payment"), "{value}");
    assert!(value.contains("excludes: `reclaimed-power`"), "{value}");
    assert!(
        value.contains("used by 2 sources (2 claims) and 1 coding (1 claim)"),
        "{value}"
    );
    assert_eq!(
        hover["range"],
        json!({ "start": pos(7, 11), "end": pos(7, 22) })
    );
    // an alias, in another file
    let b = c.open(&work.join("sources/b.toml"), B);
    let hover = c.request("textDocument/hover", at(&b, 4, 11));
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.starts_with("scene `car-encounter`"), "{value}");
    // nothing to say on a summary
    assert_eq!(
        c.request("textDocument/hover", at(&uri, 8, 12)),
        Value::Null
    );
    c.shutdown();
}

#[test]
fn definition_and_references() {
    let (_dir, work) = corpus();
    let mut c = start();
    let a = c.open(&work.join("sources/a.toml"), A);
    let w = uri(&work.join("work.toml"));
    let def = c.request("textDocument/definition", at(&a, 6, 12));
    assert_eq!(def["uri"], w);
    assert_eq!(
        def["range"],
        json!({ "start": pos(4, 6), "end": pos(4, 19) })
    );
    let def = c.request("textDocument/definition", at(&a, 3, 9));
    assert_eq!(def["uri"], uri(&work.join("texts/a.txt")));
    let refs = c.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": a }, "position": pos(7, 13), "context": { "includeDeclaration": true } }),
    );
    let mut places: Vec<String> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            format!(
                "{}:{}",
                l["uri"].as_str().unwrap().rsplit("anora/").next().unwrap(),
                l["range"]["start"]["line"]
            )
        })
        .collect();
    places.sort();
    assert_eq!(
        places,
        [
            "codings/alice/a.toml:2",
            "sources/a.toml:7",
            "sources/b.toml:11",
            "work.toml:14"
        ]
    );
    // from the codebook, on an alias: the claims that use the reading by any name
    let refs = c.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": w }, "position": pos(22, 13), "context": { "includeDeclaration": false } }),
    );
    assert_eq!(refs.as_array().unwrap().len(), 1, "{refs}");
    assert_eq!(
        refs[0]["range"],
        json!({ "start": pos(5, 11), "end": pos(5, 17) })
    );
    c.shutdown();
}

#[test]
fn rename_returns_the_edits_of_parallax_rename_and_writes_nothing() {
    let (dir, work) = corpus();
    let mut c = start();
    let a = c.open(&work.join("sources/a.toml"), A);
    let prepared = c.request("textDocument/prepareRename", at(&a, 6, 12));
    assert_eq!(prepared["placeholder"], "car-encounter");
    assert_eq!(
        prepared["range"],
        json!({ "start": pos(6, 9), "end": pos(6, 22) })
    );
    // an alias is refused, as `rename` refuses it
    let b = c.open(&work.join("sources/b.toml"), B);
    let refused = c
        .call("textDocument/prepareRename", at(&b, 4, 11))
        .unwrap_err();
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("\"car scene\" is an alias of scene \"car-encounter\", not its id"),
        "{refused}"
    );
    let edit = c.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": a }, "position": pos(6, 12), "newName": "car-ride" }),
    );
    let changes = edit["changes"].as_object().unwrap();
    let mut files: Vec<&str> = changes
        .keys()
        .map(|k| k.rsplit("anora/").next().unwrap())
        .collect();
    files.sort();
    assert_eq!(files, ["sources/a.toml", "work.toml"]);
    let a_edits = &changes[&a];
    assert_eq!(a_edits[0]["newText"], "scene = \"car-ride\"\n");
    assert_eq!(
        a_edits[0]["range"],
        json!({ "start": pos(6, 0), "end": pos(7, 0) })
    );
    // the same texts as `parallax rename`, and nothing written
    assert_eq!(fs::read_to_string(work.join("sources/a.toml")).unwrap(), A);
    let cli = assert_cmd::Command::cargo_bin("parallax")
        .unwrap()
        .args(["--corpus"])
        .arg(dir.path())
        .args(["rename", "scene", "car-encounter", "car-ride", "--dry-run"])
        .output()
        .unwrap();
    let diff = String::from_utf8_lossy(&cli.stdout);
    assert!(diff.contains("+scene = \"car-ride\""), "{diff}");
    assert!(diff.contains("+id = \"car-ride\""), "{diff}");
    // a new id that is already a name is refused with rename's message
    let refused = c
        .call(
            "textDocument/rename",
            json!({ "textDocument": { "uri": a }, "position": pos(6, 12), "newName": "tears" }),
        )
        .unwrap_err();
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("scene \"tears\" already has that id"),
        "{refused}"
    );
    // a work with an error in an open buffer is refused
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": b, "version": 2 }, "contentChanges": [{ "text": B.replace("\"tears\"", "\"tearz\"") }] }),
    );
    let refused = c
        .call("textDocument/prepareRename", at(&a, 6, 12))
        .unwrap_err();
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("unknown scene \"tearz\""),
        "{refused}"
    );
    c.shutdown();
}

#[test]
fn document_symbols_outline_claims_and_the_codebook() {
    let (_dir, work) = corpus();
    let mut c = start();
    let b = c.open(&work.join("sources/b.toml"), B);
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": b } }),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "B",
            "car scene · agency · endorses",
            "tears · transaction · rejects"
        ]
    );
    assert_eq!(symbols[1]["detail"], "in the voice of Baker");
    assert_eq!(
        symbols[1]["selectionRange"],
        json!({ "start": pos(3, 0), "end": pos(3, 9) })
    );
    let w = uri(&work.join("work.toml"));
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": w } }),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Anora",
            "car-encounter",
            "tears",
            "transaction",
            "reclaimed-power",
            "sean-baker"
        ]
    );
    c.shutdown();
}

#[test]
fn positions_count_utf16_units_by_default_and_bytes_when_agreed() {
    let (_dir, work) = corpus();
    let text = "[source]\ntitle = \"😀😀\"\n\n[[claim]]\nscene = \"tears\" # 😀\nreading = \"😀x\"\nsummary = \"s\"\n";
    for (caps, after_emoji, end) in [
        (json!({}), 13, 15),
        (
            json!({ "general": { "positionEncodings": ["utf-8"] } }),
            15,
            17,
        ),
    ] {
        let (mut c, _) = Client::start(caps);
        let uri = c.open(&work.join("sources/e.toml"), text);
        let diags = c.diagnostics(&uri);
        assert_eq!(titles(&diags), ["unknown reading \"😀x\""]);
        assert_eq!(
            diags[0]["range"],
            json!({ "start": pos(5, 10), "end": pos(5, end) })
        );
        // a completion inside the string after the emoji: the range ends where asked
        let items = c.request("textDocument/completion", at(&uri, 5, after_emoji));
        assert_eq!(
            items[0]["textEdit"]["range"],
            json!({ "start": pos(5, 11), "end": pos(5, end - 1) })
        );
        c.shutdown();
    }
}

#[test]
fn bad_requests_get_an_answer_or_an_error_never_a_crash() {
    let (_dir, work) = corpus();
    let mut c = start();
    // a corpus file that is not open is read from disk
    let b = uri(&work.join("sources/b.toml"));
    let hover = c.request("textDocument/hover", at(&b, 11, 13));
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Transaction")
    );
    // a file that is no corpus file, or no file at all
    let other = uri(&work.join("notes.txt"));
    assert_eq!(
        c.request("textDocument/hover", at(&other, 0, 0)),
        Value::Null
    );
    assert_eq!(
        c.request("textDocument/completion", at("untitled:Untitled-1", 0, 0)),
        Value::Null
    );
    // positions out of range
    let a = c.open(&work.join("sources/a.toml"), A);
    c.diagnostics(&a);
    for (line, ch) in [(999, 0), (0, 9999), (u32::MAX, u32::MAX)] {
        c.request("textDocument/hover", at(&a, line, ch));
        c.request("textDocument/completion", at(&a, line, ch));
        c.request("textDocument/definition", at(&a, line, ch));
    }
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": a, "version": 2 }, "contentChanges": [
            { "range": { "start": pos(999, 5), "end": pos(2, 0) }, "text": "x" }
        ] }),
    );
    c.diagnostics(&a);
    // unknown methods and bad params
    assert_eq!(
        c.call("textDocument/unknown", json!({})).unwrap_err()["code"],
        -32601
    );
    assert_eq!(
        c.call("textDocument/hover", json!({ "nonsense": 1 }))
            .unwrap_err()["code"],
        -32602
    );
    // an enormous line with control characters
    let long = format!(
        "[source]\ntitle = \"{}\u{1b}[31m\u{0}\"\n[[claim]]\nscene = \"tearz\"\nreading = \"transaction\"\nsummary = \"s\"\n",
        "é".repeat(2_000_000)
    );
    let big = c.open(&work.join("sources/big.toml"), &long);
    let diags = c.diagnostics(&big);
    assert!(
        titles(&diags).contains(&"unknown scene \"tearz\"".to_string()),
        "{:?}",
        titles(&diags)
    );
    let h = c.request("textDocument/completion", at(&big, 1, 1_999_990));
    assert!(h.as_array().is_none_or(|a| a.is_empty()));
    c.shutdown();
}

#[cfg(unix)]
#[test]
fn a_hostile_corpus_neither_hangs_nor_leaks() {
    let (dir, work) = corpus();
    let outside = dir.path().join("../outside-secret.toml");
    let secret = tempfile::NamedTempFile::new().unwrap();
    fs::write(secret.path(), "[[claim]]\nscene = \"SECRET-VALUE\"\n").unwrap();
    let _ = outside;
    std::os::unix::fs::symlink(secret.path(), work.join("sources/link.toml")).unwrap();
    std::os::unix::fs::symlink(secret.path(), work.join("texts/out.txt")).unwrap();
    let fifo = |p: &Path| {
        let status = std::process::Command::new("mkfifo").arg(p).status();
        status.is_ok_and(|s| s.success())
    };
    let fifos = fifo(&work.join("sources/pipe.toml")) && fifo(&work.join("texts/pipe.txt"));
    let mut c = start();
    let text = A.replace("a.txt", if fifos { "pipe.txt" } else { "out.txt" });
    let a = c.open(&work.join("sources/a.toml"), &text);
    let diags = c.diagnostics(&a);
    let t = titles(&diags);
    assert_eq!(t.len(), 1, "{t:?}");
    assert!(
        t[0].contains("is not a regular file") || t[0].contains("resolves outside"),
        "{t:?}"
    );
    // the link's target is neither indexed nor shown
    let refs = c.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": a }, "position": pos(6, 12), "context": { "includeDeclaration": false } }),
    );
    assert!(!refs.to_string().contains("link.toml"), "{refs}");
    let hover = c.call(
        "textDocument/hover",
        at(&uri(&work.join("sources/link.toml")), 1, 10),
    );
    assert!(!format!("{hover:?}").contains("SECRET"), "{hover:?}");
    let def = c.request("textDocument/definition", at(&a, 3, 9));
    assert_eq!(def, Value::Null);
    let completion = c.request("textDocument/completion", at(&a, 3, 8));
    let names: Vec<&str> = completion
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a.txt"]);
    c.shutdown();
}

#[test]
fn files_changed_on_disk_are_read_again() {
    let (_dir, work) = corpus();
    let mut c = start();
    let a = c.open(&work.join("sources/a.toml"), A);
    c.diagnostics(&a);
    let used = |c: &mut Client| {
        let hover = c.request("textDocument/hover", at(&a, 7, 13));
        hover["contents"]["value"].as_str().unwrap().to_string()
    };
    assert!(used(&mut c).contains("used by 2 sources (2 claims)"));
    let new = work.join("sources/n.toml");
    fs::write(&new, B).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&new), "type": 1 }] }),
    );
    assert!(
        used(&mut c).contains("used by 3 sources (3 claims)"),
        "{}",
        used(&mut c)
    );
    fs::remove_file(&new).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&new), "type": 3 }] }),
    );
    assert!(used(&mut c).contains("used by 2 sources (2 claims)"));
    c.shutdown();
}

#[test]
fn names_that_look_like_one_person_are_warned_about_where_check_warns() {
    let (_dir, work) = corpus();
    // a work without [[person]]
    let codebook = WORK[..WORK.find("[[person]]").unwrap()].to_string();
    fs::write(work.join("work.toml"), &codebook).unwrap();
    fs::write(
        work.join("sources/a.toml"),
        A.replace(
            "summary = \"She pays him back.\"",
            "summary = \"s\"\nattributed_to = \"Sean Baker\"",
        ),
    )
    .unwrap();
    let mut c = start();
    let b = c.open(&work.join("sources/b.toml"), B);
    let diags = c.diagnostics(&b);
    assert_eq!(
        titles(&diags),
        ["\"Baker\" and \"Sean Baker\" may be one person, counted as two"]
    );
    assert_eq!(
        diags[0]["range"],
        json!({ "start": pos(7, 17), "end": pos(7, 22) })
    );
    let check = assert_cmd::Command::cargo_bin("parallax")
        .unwrap()
        .arg("--corpus")
        .arg(work.parent().unwrap())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&check.stdout).unwrap();
    let warned: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert!(
        warned.contains(&"\"Baker\" and \"Sean Baker\" may be one person, counted as two"),
        "{warned:?}"
    );
    c.shutdown();
}

#[test]
fn completion_in_work_toml_offers_excludes_and_fields() {
    let (_dir, work) = corpus();
    let mut c = start();
    let text = WORK.replace(
        "excludes = [\"reclaimed-power\"]",
        "excludes = [\"reclaimed-power\", ]\ndes",
    );
    let w = c.open(&work.join("work.toml"), &text);
    let labels = |items: &Value| -> Vec<String> {
        items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    // ids only, and not the reading's own
    let excludes = c.request("textDocument/completion", at(&w, 17, 31));
    assert_eq!(labels(&excludes), ["reclaimed-power"]);
    assert_eq!(excludes[0]["textEdit"]["newText"], "\"reclaimed-power\"");
    // after a closing quote there is nothing to complete
    let after = c.request("textDocument/completion", at(&w, 14, 18));
    assert_eq!(labels(&after), Vec::<String>::new());
    // the fields [[reading]] takes and this one has not yet
    let fields = labels(&c.request("textDocument/completion", at(&w, 18, 3)));
    assert_eq!(fields, ["aliases"]);
    c.shutdown();
}
