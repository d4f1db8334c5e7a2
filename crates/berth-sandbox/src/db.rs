//! Persistence: one SQLite table of JSON documents. WAL with synchronous=FULL, so an acknowledged
//! write survives `kill -9`.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

pub struct Db {
    conn: Mutex<Connection>,
    /// Bumped by every write, so caches of reads know when they are stale.
    generation: AtomicU64,
}

/// A stored document and its insertion order (used for stable paging).
pub struct Doc {
    pub seq: i64,
    pub body: Value,
}

impl Db {
    pub fn open(dir: &Path) -> Result<Db, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let path = dir.join("sandbox.sqlite3");
        let conn =
            Connection::open(&path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             CREATE TABLE IF NOT EXISTS docs (
               seq    INTEGER PRIMARY KEY AUTOINCREMENT,
               kind   TEXT NOT NULL,
               id     TEXT NOT NULL,
               parent TEXT NOT NULL DEFAULT '',
               body   TEXT NOT NULL,
               UNIQUE (kind, id)
             );
             CREATE INDEX IF NOT EXISTS docs_parent ON docs (kind, parent, seq);",
        )
        .map_err(|e| format!("cannot prepare {}: {e}", path.display()))?;
        Ok(Db {
            conn: Mutex::new(conn),
            generation: AtomicU64::new(0),
        })
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    fn bump(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, String> {
        let conn = self
            .conn
            .lock()
            .map_err(|_| "database lock poisoned".to_string())?;
        f(&conn).map_err(|e| format!("database: {e}"))
    }

    /// Runs `f` in one IMMEDIATE transaction holding the connection: every read and write in it
    /// is atomic and serialized against every other. `f`'s error rolls back; the outer error is
    /// the database's.
    pub fn tx<T, E>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<Result<T, E>, String> {
        let mut conn = self
            .conn
            .lock()
            .map_err(|_| "database lock poisoned".to_string())?;
        let t = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| format!("database: {e}"))?;
        let tx = Tx {
            c: &t,
            wrote: std::cell::Cell::new(false),
        };
        let out = f(&tx);
        let wrote = tx.wrote.get();
        match out {
            Ok(v) => {
                t.commit().map_err(|e| format!("database: {e}"))?;
                if wrote {
                    self.bump();
                }
                Ok(Ok(v))
            }
            Err(e) => {
                t.rollback().map_err(|e| format!("database: {e}"))?;
                Ok(Err(e))
            }
        }
    }

    /// Inserts or replaces a document, keeping its position if it existed.
    pub fn put(&self, kind: &str, id: &str, parent: &str, body: &Value) -> Result<(), String> {
        self.with(|c| put_in(c, kind, id, parent, body))?;
        self.bump();
        Ok(())
    }

    /// Inserts many documents in one transaction (one sync to disk instead of one each).
    pub fn put_many(&self, kind: &str, docs: &[(String, String, Value)]) -> Result<(), String> {
        self.tx(|t| {
            for (id, parent, body) in docs {
                t.put(kind, id, parent, body)?;
            }
            Ok::<(), String>(())
        })?
    }

    pub fn get(&self, kind: &str, id: &str) -> Result<Option<Value>, String> {
        let text = self.with(|c| get_in(c, kind, id))?;
        decode(kind, id, text)
    }

    /// Documents of `kind` under `parent` (every parent when `None`) after `after_seq`, in order.
    pub fn list(
        &self,
        kind: &str,
        parent: Option<&str>,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<Doc>, String> {
        decode_rows(kind, self.list_raw(kind, parent, after_seq, limit)?)
    }

    /// As `list`, with each document's JSON text undecoded.
    pub fn list_raw(
        &self,
        kind: &str,
        parent: Option<&str>,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String)>, String> {
        self.with(|c| list_raw_in(c, kind, parent, after_seq, limit))
    }

    pub fn all(&self, kind: &str, parent: Option<&str>) -> Result<Vec<Value>, String> {
        Ok(self
            .list(kind, parent, 0, i64::MAX)?
            .into_iter()
            .map(|d| d.body)
            .collect())
    }

    pub fn is_empty(&self) -> Result<bool, String> {
        self.with(|c| c.query_row("SELECT COUNT(*) FROM docs", [], |r| r.get::<_, i64>(0)))
            .map(|n| n == 0)
    }
}

/// A transaction in progress (see [`Db::tx`]): the same reads and writes as [`Db`].
pub struct Tx<'a> {
    c: &'a Connection,
    wrote: std::cell::Cell<bool>,
}

impl Tx<'_> {
    pub fn put(&self, kind: &str, id: &str, parent: &str, body: &Value) -> Result<(), String> {
        self.wrote.set(true);
        put_in(self.c, kind, id, parent, body).map_err(|e| format!("database: {e}"))
    }

    pub fn get(&self, kind: &str, id: &str) -> Result<Option<Value>, String> {
        let text = get_in(self.c, kind, id).map_err(|e| format!("database: {e}"))?;
        decode(kind, id, text)
    }

    pub fn delete(&self, kind: &str, id: &str) -> Result<bool, String> {
        self.wrote.set(true);
        delete_in(self.c, kind, id).map_err(|e| format!("database: {e}"))
    }

    pub fn all(&self, kind: &str, parent: Option<&str>) -> Result<Vec<Value>, String> {
        let rows =
            list_raw_in(self.c, kind, parent, 0, i64::MAX).map_err(|e| format!("database: {e}"))?;
        Ok(decode_rows(kind, rows)?
            .into_iter()
            .map(|d| d.body)
            .collect())
    }
}

fn put_in(
    c: &Connection,
    kind: &str,
    id: &str,
    parent: &str,
    body: &Value,
) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT INTO docs (kind, id, parent, body) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (kind, id) DO UPDATE SET parent = excluded.parent, body = excluded.body",
    )?
    .execute(params![kind, id, parent, body.to_string()])
    .map(|_| ())
}

fn get_in(c: &Connection, kind: &str, id: &str) -> rusqlite::Result<Option<String>> {
    c.prepare_cached("SELECT body FROM docs WHERE kind = ?1 AND id = ?2")?
        .query_row(params![kind, id], |r| r.get(0))
        .optional()
}

fn delete_in(c: &Connection, kind: &str, id: &str) -> rusqlite::Result<bool> {
    c.prepare_cached("DELETE FROM docs WHERE kind = ?1 AND id = ?2")?
        .execute(params![kind, id])
        .map(|n| n > 0)
}

fn list_raw_in(
    c: &Connection,
    kind: &str,
    parent: Option<&str>,
    after_seq: i64,
    limit: i64,
) -> rusqlite::Result<Vec<(i64, String)>> {
    let mut stmt = c.prepare_cached(
        "SELECT seq, body FROM docs WHERE kind = ?1 AND (?2 IS NULL OR parent = ?2) AND seq > ?3
         ORDER BY seq LIMIT ?4",
    )?;
    let rows = stmt.query_map(params![kind, parent, after_seq, limit], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    rows.collect()
}

fn decode(kind: &str, id: &str, text: Option<String>) -> Result<Option<Value>, String> {
    text.map(|t| serde_json::from_str(&t).map_err(|e| format!("stored {kind} {id}: {e}")))
        .transpose()
}

fn decode_rows(kind: &str, rows: Vec<(i64, String)>) -> Result<Vec<Doc>, String> {
    rows.into_iter()
        .map(|(seq, t)| {
            serde_json::from_str(&t)
                .map(|body| Doc { seq, body })
                .map_err(|e| format!("stored {kind}: {e}"))
        })
        .collect()
}
