use std::path::PathBuf;

pub const HELP: &str = "berth-sandbox: a local Qovery + Kopernik API server for Berth

usage: berth-sandbox [--listen ADDR] [--data DIR] [--token TOKEN] [--demo] [--demo-diagnosis] [--demo-apps N] [--demo-log-lines N] [--demo-log-rate N] [--dist DIR]
                     [--provision-ms MS] [--faults] [--cors-origin ORIGIN]...
                     [--jq-budget-ms MS] [--jq-memory-mb MB] [--jq-jobs N] [--status-lag-ms MS]
                     [--allow-host NAME]...

  --listen ADDR     address to listen on (default 127.0.0.1:8080); an address that is not
                    loopback needs an explicit --token. Port 0 takes a free port: the first line
                    on stdout says which (`berth-sandbox: serving on http://127.0.0.1:PORT ...`)
  --data DIR        folder of the SQLite database (default ./.berth-data)
  --token TOKEN     the only token accepted by both APIs (default: sandbox)
  --demo            seed demo organizations, projects, environments, registries, templates and
                    apps into an empty database
  --demo-diagnosis  --demo, and also the environment Acme Corp / Storefront / diagnosis (added
                    once per data folder): containers that are OOM killed, crash-loop, fail
                    their readiness probe, cannot be scheduled, or whose image does not exist
  --demo-apps N     with --demo: N more generated container apps on aws, for scale tests (default 0)
  --demo-log-lines N  with --demo: the output each running demo container keeps and answers
                    (`/container/{id}/log`), for scale tests (default 1000, at most 100000)
  --demo-log-rate N with --demo: the lines a second each running demo container writes, its
                    instances together (default 1, at most 1000), for follow-mode tests
  --dist DIR        serve the built app from DIR at /, answering unknown non-API paths with its
                    index.html (deep links)
  --provision-ms MS how long Kopernik actions and Qovery deployments take (default 3000)
  --faults          honour the X-Berth-Fault request header: 500 | 503 | 401 | 403 | 404 | 429 | timeout | drop | malformed |
                    lost-answer (a write done, answered 504)
  --cors-origin O   allow browser calls from origin O (repeatable)
  --jq-budget-ms MS time a jq list filter may run, in a worker process (default 2000)
  --jq-memory-mb MB memory a jq worker process may use (default 512)
  --jq-jobs N       jq filters evaluated at once, in as many worker processes (default 2, 1-64):
                    together at most N cores and N x --jq-memory-mb; a filter beyond is a 429
                    with Retry-After
  --allow-host NAME also answer requests whose Host is NAME (repeatable); by default only
                    localhost and IP addresses the server listens on are answered
  --status-lag-ms MS after a Qovery deploy/redeploy/restart/stop starts, status reads keep showing
                    the state before it for MS milliseconds, as a real API lags (default 0)

Qovery: Authorization: Token <TOKEN> (Bearer also accepted). Kopernik: Authorization: Bearer <TOKEN>.";

#[derive(Debug, Clone)]
pub struct Options {
    pub listen: String,
    pub data: PathBuf,
    pub token: String,
    pub demo: bool,
    /// `--demo-diagnosis`: the demo's diagnosis environment (demo_diagnosis.rs).
    pub demo_diagnosis: bool,
    pub demo_apps: usize,
    pub demo_log_lines: usize,
    pub demo_log_rate: u32,
    pub dist: Option<PathBuf>,
    pub provision_ms: u64,
    pub faults: bool,
    pub cors_origins: Vec<String>,
    pub jq_budget_ms: u64,
    pub jq_memory_mb: u64,
    pub jq_jobs: usize,
    pub status_lag_ms: u64,
    /// `--token` was given (a non-loopback address needs it).
    pub token_given: bool,
    pub allow_hosts: Vec<String>,
}

pub enum Parsed {
    Run(Box<Options>),
    Help,
}

impl Options {
    pub fn parse(args: impl Iterator<Item = String>) -> Result<Parsed, String> {
        let mut o = Options {
            listen: "127.0.0.1:8080".into(),
            data: PathBuf::from(".berth-data"),
            token: "sandbox".into(),
            demo: false,
            demo_diagnosis: false,
            demo_apps: 0,
            demo_log_lines: crate::logs::MAX_LINES,
            demo_log_rate: 1,
            dist: None,
            provision_ms: 3000,
            faults: false,
            cors_origins: Vec::new(),
            jq_budget_ms: 2000,
            jq_memory_mb: 512,
            jq_jobs: 2,
            status_lag_ms: 0,
            token_given: false,
            allow_hosts: Vec::new(),
        };
        let mut args = args.peekable();
        while let Some(a) = args.next() {
            let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
            match a.as_str() {
                "--listen" => o.listen = value("--listen")?,
                "--data" => o.data = value("--data")?.into(),
                "--token" => {
                    o.token = value("--token")?;
                    if o.token.trim().is_empty() {
                        return Err("--token must not be empty".into());
                    }
                    o.token_given = true;
                }
                "--demo" => o.demo = true,
                "--demo-diagnosis" => {
                    o.demo = true;
                    o.demo_diagnosis = true;
                }
                "--demo-apps" => {
                    let v = value("--demo-apps")?;
                    o.demo_apps = v
                        .parse()
                        .map_err(|_| format!("--demo-apps: `{v}` is not a whole number"))?;
                }
                "--demo-log-lines" => {
                    let v = value("--demo-log-lines")?;
                    o.demo_log_lines = v
                        .parse()
                        .ok()
                        .filter(|n| (1..=100_000).contains(n))
                        .ok_or_else(|| {
                            format!("--demo-log-lines: `{v}` is not a number from 1 to 100000")
                        })?;
                }
                "--demo-log-rate" => {
                    let v = value("--demo-log-rate")?;
                    o.demo_log_rate = v
                        .parse()
                        .ok()
                        .filter(|n| (1..=1000).contains(n))
                        .ok_or_else(|| {
                            format!("--demo-log-rate: `{v}` is not a number from 1 to 1000")
                        })?;
                }
                "--dist" => o.dist = Some(value("--dist")?.into()),
                "--provision-ms" => {
                    let v = value("--provision-ms")?;
                    o.provision_ms = v.parse().map_err(|_| {
                        format!("--provision-ms: `{v}` is not a whole number of milliseconds")
                    })?;
                }
                "--jq-budget-ms" => {
                    let v = value("--jq-budget-ms")?;
                    o.jq_budget_ms = v
                        .parse()
                        .ok()
                        .filter(|n| (10..=60_000).contains(n))
                        .ok_or_else(|| {
                            format!("--jq-budget-ms: `{v}` is not a whole number from 10 to 60000")
                        })?;
                }
                "--jq-memory-mb" => {
                    let v = value("--jq-memory-mb")?;
                    o.jq_memory_mb = v
                        .parse()
                        .ok()
                        .filter(|n| (64..=16_384).contains(n))
                        .ok_or_else(|| {
                            format!("--jq-memory-mb: `{v}` is not a whole number from 64 to 16384")
                        })?;
                }
                "--jq-jobs" => {
                    let v = value("--jq-jobs")?;
                    o.jq_jobs =
                        v.parse()
                            .ok()
                            .filter(|n| (1..=64).contains(n))
                            .ok_or_else(|| {
                                format!("--jq-jobs: `{v}` is not a whole number from 1 to 64")
                            })?;
                }
                "--status-lag-ms" => {
                    let v = value("--status-lag-ms")?;
                    o.status_lag_ms = v.parse().map_err(|_| {
                        format!("--status-lag-ms: `{v}` is not a whole number of milliseconds")
                    })?;
                }
                "--allow-host" => {
                    let v = value("--allow-host")?;
                    if v.is_empty() || v.contains(['/', ' ', ':']) {
                        return Err(format!(
                            "--allow-host: `{v}` must be a host name without port, e.g. berth.local"
                        ));
                    }
                    o.allow_hosts.push(v.to_ascii_lowercase());
                }
                "--faults" => o.faults = true,
                "--cors-origin" => {
                    let v = value("--cors-origin")?;
                    if !(v.starts_with("http://") || v.starts_with("https://")) {
                        return Err(format!(
                            "--cors-origin: `{v}` must be an origin such as http://localhost:3000"
                        ));
                    }
                    o.cors_origins.push(v.trim_end_matches('/').to_string());
                }
                "-h" | "--help" => return Ok(Parsed::Help),
                other => return Err(format!("unknown argument `{other}`")),
            }
        }
        Ok(Parsed::Run(Box::new(o)))
    }
}
