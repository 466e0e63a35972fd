"""Runs QualCoder's own REFI-QDA project importer (qualcoder/refi.py, unchanged) headless on a
.qdpx file and prints, as JSON, what QualCoder's database then holds: its sources, its codes,
and every coded passage with its code, text, positions, coder and memo.

    QT_QPA_PLATFORM=offscreen python3 qualcoder_import.py QUALCODER_PACKAGE_DIR PROJECT.qdpx [OUT.qdpx]

QUALCODER_PACKAGE_DIR is QualCoder's src/qualcoder folder. Only refi.py, color_selector.py and
the GUI forms they import are used; QualCoder's helpers module (which pulls in PDF and media
libraries) is replaced by a stand-in for the one thing refi.py takes from it, the closing
message box, and the file dialog is answered with PROJECT.qdpx.

With OUT.qdpx, a coder named maria then codes one more passage the way a QualCoder user
does (a coding with the scene's code and one with the reading's stance, a memo on each),
and QualCoder's own exporter (RefiExport, unchanged) writes the project to OUT.qdpx.
"""

import json
import os
import shutil
import sqlite3
import sys
import tempfile
import types


def main(package_dir, qdpx, out_qdpx=None):
    work = tempfile.mkdtemp(prefix="qualcoder-")
    pkg = os.path.join(work, "qualcoder")
    os.makedirs(pkg)
    for name in ("__init__.py", "refi.py", "color_selector.py"):
        shutil.copy(os.path.join(package_dir, name), pkg)
    shutil.copytree(os.path.join(package_dir, "GUI"), os.path.join(pkg, "GUI"))
    with open(os.path.join(pkg, "helpers.py"), "w") as f:
        f.write(
            "class Message:\n"
            "    def __init__(self, *args, **kwargs):\n"
            "        self.args = args\n"
            "    def exec(self):\n"
            "        return 0\n"
        )
    sys.path.insert(0, work)
    from PyQt6 import QtWidgets

    app_qt = QtWidgets.QApplication(["qualcoder-import"])
    from qualcoder import refi

    project = os.path.join(work, "project")
    os.makedirs(os.path.join(project, "documents"))
    conn = sqlite3.connect(":memory:")
    cur = conn.cursor()
    for sql in SCHEMA:
        cur.execute(sql)
    conn.commit()
    app = types.SimpleNamespace(
        conn=conn,
        settings={"codername": "default", "directory": work, "ai_enable": "False"},
        project_path=project,
        write_config_ini=lambda *a: None,
        ai_models=None,
        project_events=None,
    )
    log = []
    textedit = types.SimpleNamespace(append=log.append)
    QtWidgets.QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (qdpx, "qdpx"))
    refi.RefiImport(app, textedit, "qdpx")
    out = {
        "sources": [
            {"name": n, "length": len(t or ""), "memo": m}
            for n, t, m in cur.execute("select name, fulltext, memo from source order by id")
        ],
        "codes": [n for (n,) in cur.execute("select name from code_name order by cid")],
        "codings": [
            {"code": c, "source": s, "text": t, "start": p0, "end": p1, "coder": o, "memo": m}
            for c, s, t, p0, p1, o, m in cur.execute(
                "select code_name.name, source.name, seltext, pos0, pos1, code_text.owner, code_text.memo "
                "from code_text join code_name on code_text.cid = code_name.cid "
                "join source on code_text.fid = source.id order by ctid"
            )
        ],
        "log": log,
    }
    # on a line of its own: refi.py prints what it cannot import (vlc) before
    if out_qdpx:
        code_more(cur, conn)
        export(refi, app, textedit, work, out_qdpx)
    print("\n" + json.dumps(out, ensure_ascii=False))
    del app_qt
    shutil.rmtree(work, ignore_errors=True)


def code_more(cur, conn):
    """maria codes the first sentence of the first source with the first scene and the first
    reading's "endorses", as a QualCoder user does: a coding per code."""
    fid, text = cur.execute("select id, fulltext from source order by id").fetchone()
    scene = cur.execute("select cid from code_name where name like '1. %'").fetchone()[0]
    reading = cur.execute("select cid from code_name where name like '%: endorses' order by cid").fetchone()[0]
    end = text.index(".") + 1
    for cid in (scene, reading):
        cur.execute(
            "insert into code_text (cid, fid, seltext, pos0, pos1, owner, date, memo) values (?,?,?,?,?,?,?,?)",
            (cid, fid, text[0:end], 0, end, "maria", "2025-04-01 10:00:00", "Maria's reading of the opening."),
        )
    conn.commit()


def export(refi, app, textedit, work, out_qdpx):
    """QualCoder's exporter, its dialogs answered: plain line ends, and the folder to write."""
    from PyQt6 import QtWidgets

    home = os.path.join(work, "home")
    os.makedirs(os.path.join(home, ".qualcoder"))
    os.environ["HOME"] = home
    target = os.path.join(work, "exported")
    os.makedirs(target)

    class LineEndings:
        def __init__(self, *a):
            self.ui = types.SimpleNamespace(
                radioButton_maxqda=types.SimpleNamespace(isChecked=lambda: False)
            )

        def exec(self):
            return 1

    refi.RefiLineEndings = LineEndings
    QtWidgets.QFileDialog.getExistingDirectory = staticmethod(lambda *a, **k: target)
    app.project_name = "project.qda"
    app.version = "QualCoder"
    cur = app.conn.cursor()
    cur.execute("insert into project (databaseversion, date, memo) values ('v7', '2025-04-01 10:00:00', '')")
    app.conn.commit()
    app.get_annotations = lambda: [
        dict(zip(("anid", "fid", "pos0", "pos1", "memo", "owner", "date"), row))
        for row in cur.execute("select anid, fid, pos0, pos1, memo, owner, date from annotation")
    ]
    refi.RefiExport(app, textedit, "project")
    shutil.copy(os.path.join(target, "project.qdpx"), out_qdpx)


# The tables refi.py writes, as QualCoder's __main__.py creates them.
SCHEMA = [
    "CREATE TABLE project (databaseversion text, date text, memo text,about text, bookmarkfile integer, "
    "bookmarkpos integer, codername text, recently_used_codes text, avbookmarkfile integer, avbookmarkmsec integer, avbookmarktextpos integer)",
    "CREATE TABLE source (id integer primary key, name text, fulltext text, mediapath text, memo text, "
    "owner text, date text, av_text_id integer, risid integer, unique(name))",
    "CREATE TABLE code_image (imid integer primary key,id integer,x1 integer, y1 integer, width integer, "
    "height integer, cid integer, memo text, date text, owner text, important integer, pdf_page integer)",
    "CREATE TABLE code_av (avid integer primary key,id integer,pos0 integer, pos1 integer, cid integer, "
    "memo text, date text, owner text, important integer)",
    "CREATE TABLE annotation (anid integer primary key, fid integer,pos0 integer, pos1 integer, memo text, "
    "owner text, date text, unique(fid,pos0,pos1,owner))",
    "CREATE TABLE attribute_type (name text primary key, date text, owner text, memo text, caseOrFile text, "
    "valuetype text)",
    "CREATE TABLE attribute (attrid integer primary key, name text, attr_type text, value text, id integer, "
    "date text, owner text, unique(name,attr_type,id))",
    "CREATE TABLE case_text (id integer primary key, caseid integer, fid integer, pos0 integer, pos1 integer, "
    "owner text, date text, memo text)",
    "CREATE TABLE cases (caseid integer primary key, name text, memo text, owner text,date text, "
    "constraint ucm unique(name))",
    "CREATE TABLE code_cat (catid integer primary key, name text, owner text, date text, memo text, "
    "supercatid integer, unique(name))",
    "CREATE TABLE code_text (ctid integer primary key, cid integer, fid integer,seltext text, pos0 integer, "
    "pos1 integer, owner text, date text, memo text, avid integer, important integer, "
    "unique(cid,fid,pos0,pos1, owner))",
    "CREATE TABLE code_name (cid integer primary key, name text, memo text, catid integer, owner text,"
    "date text, color text, supercid integer, unique(name))",
    "CREATE TABLE journal (jid integer primary key, name text, jentry text, date text, owner text, "
    "unique(name))",
]

if __name__ == "__main__":
    main(*sys.argv[1:4])
