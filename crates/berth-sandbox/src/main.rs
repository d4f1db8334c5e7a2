//! berth-sandbox: a local server implementing both APIs of Berth's contract (Qovery under
//! `/api/qovery`, Kopernik under `/api/kopernik/v0`) with SQLite persistence, and serving the built
//! app. See `--help`.

mod app;
mod cli;
mod clusters;
mod db;
mod demo;
mod demo_diagnosis;
mod engine;
mod environments;
mod errors;
mod events;
mod faults;
mod ids;
mod jq;
mod kopernik;
mod label_regex;
mod links;
mod logs;
mod metrics;
mod pods;
mod prometheus;
mod qovery;
mod series;
mod stages;
mod statics;
mod times;
mod variables;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // The hidden jq worker (see jq.rs): no runtime, no server.
    if args.first().map(String::as_str) == Some("__jq-worker") {
        return jq::worker_main(&args[1..]);
    }
    let opts = match cli::Options::parse(args.into_iter()) {
        Ok(cli::Parsed::Run(o)) => *o,
        Ok(cli::Parsed::Help) => {
            println!("{}", cli::HELP);
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("berth-sandbox: {e}\n\n{}", cli::HELP);
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("berth-sandbox: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(opts)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("berth-sandbox: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(opts: cli::Options) -> Result<(), String> {
    // Checked before anything else: a server reachable from other machines needs a real token.
    let addrs: Vec<std::net::SocketAddr> = tokio::net::lookup_host(&opts.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", opts.listen))?
        .collect();
    if let Some(open) = addrs.iter().find(|a| !a.ip().is_loopback()) {
        if !opts.token_given {
            return Err(format!(
                "refusing to listen on {open}: it is not a loopback address, so other machines \
                 could reach the server, and the default token `sandbox` is no secret. Give \
                 --token TOKEN to listen there, or listen on 127.0.0.1."
            ));
        }
    }
    let listener = tokio::net::TcpListener::bind(&addrs[..])
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", opts.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let db = db::Db::open(&opts.data)?;
    if opts.demo {
        demo::seed(
            &db,
            opts.demo_apps,
            demo::LogDemo {
                lines: opts.demo_log_lines,
                rate: opts.demo_log_rate,
            },
            opts.demo_diagnosis,
        )?;
    } else {
        clusters::ensure(&db)?;
    }
    let jq = jq::Pool::new(
        std::time::Duration::from_millis(opts.jq_budget_ms),
        opts.jq_memory_mb,
        opts.jq_jobs,
    )?;
    let state = app::AppState::new(
        db,
        opts.token.clone(),
        opts.provision_ms,
        opts.status_lag_ms,
        jq,
    );
    engine::spawn_ticker(state.db.clone(), state.actions_ended.clone());
    let router = app::router(
        state,
        app::Options {
            dist: opts.dist.as_deref(),
            faults: opts.faults,
            cors_origins: &opts.cors_origins,
            hosts: app::Hosts {
                listen: addr.ip(),
                names: opts.allow_hosts.clone(),
            },
        },
    );
    println!(
        "berth-sandbox: serving on http://{addr} (Qovery API at /api/qovery, Kopernik API at /api/kopernik/v0{})",
        if opts.dist.is_some() { ", the app at /" } else { "" }
    );
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}
