//! `begleitbuch-server`: serves the built PWA and the `/api/v1` API from one binary.
#![forbid(unsafe_code)]

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use tracing_subscriber::EnvFilter;

/// Begleitbuch sync server. Serves the web app and the API; stores data in an embedded SQLite file
/// unless DATABASE_URL points to PostgreSQL.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// Address and port to listen on. Port 0 picks a free port; the chosen URL is printed on stdout.
    #[arg(long, env = "BEGLEITBUCH_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,

    /// Directory for the SQLite database file (created if missing). Ignored with DATABASE_URL.
    #[arg(long, env = "BEGLEITBUCH_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,

    /// PostgreSQL URL (postgres://user:password@host/db). Without it, the embedded SQLite file is used.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,

    /// Directory with the built web app (trunk's dist/).
    #[arg(long, env = "BEGLEITBUCH_ASSETS_DIR", default_value = "dist")]
    assets_dir: PathBuf,

    /// Log format: "text" for people, "json" for log collectors. Filter with RUST_LOG (default: info).
    #[arg(long, env = "BEGLEITBUCH_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"])]
    log_format: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_logging(&cli.log_format);

    let assets = begleitbuch_server::assets::AppAssets::load(&cli.assets_dir)
        .with_context(|| format!("the built web app is missing in {}", cli.assets_dir.display()))?;
    let store = begleitbuch_store::open(cli.database_url.as_deref(), &cli.data_dir)
        .await
        .context("opening the database")?;
    let listener = tokio::net::TcpListener::bind(cli.listen)
        .await
        .with_context(|| format!("cannot listen on {}", cli.listen))?;
    let address = listener.local_addr()?;

    tracing::info!(%address, database = store.backend().name(), "Begleitbuch server started");
    // Scripts and tests read this line to find the server.
    println!("Begleitbuch läuft auf http://{address}/");

    let app = begleitbuch_server::router(begleitbuch_server::AppState::new(store, assets));
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await?;
    tracing::info!("Begleitbuch server stopped");
    Ok(())
}

fn init_logging(format: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Finishes the requests in flight on Ctrl-C or SIGTERM, then exits.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
