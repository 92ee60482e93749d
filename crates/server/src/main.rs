//! `begleitbuch-server`: serves the built PWA and the `/api/v1` API from one binary.
#![forbid(unsafe_code)]

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use begleitbuch_server::clock::Clock;
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

/// Begleitbuch sync server. Serves the web app and the API; stores data in an embedded SQLite file
/// unless DATABASE_URL points to PostgreSQL. Without a subcommand it serves.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// Address and port to listen on. Port 0 picks a free port; the chosen URL is printed on stdout.
    #[arg(long, env = "BEGLEITBUCH_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,

    /// Directory for the SQLite database file (created if missing). Ignored with DATABASE_URL.
    #[arg(long, env = "BEGLEITBUCH_DATA_DIR", default_value = "data", global = true)]
    data_dir: PathBuf,

    /// PostgreSQL URL (postgres://user:password@host/db). Without it, the embedded SQLite file is used.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    database_url: Option<String>,

    /// Directory with the built web app (trunk's dist/).
    #[arg(long, env = "BEGLEITBUCH_ASSETS_DIR", default_value = "dist")]
    assets_dir: PathBuf,

    /// Addresses of reverse proxies (comma-separated) whose X-Forwarded-For header gives the client's
    /// address. Needed behind an HTTPS proxy, or all clients share the proxy's sign-in limit.
    #[arg(long, env = "BEGLEITBUCH_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Vec<std::net::IpAddr>,

    /// Seeds a synthetic demo provider on the first start (the 42 schools of Bremen's public allocation
    /// list, made-up people) and prints the demo logins. For trying Begleitbuch out, never for real data.
    #[arg(long, env = "BEGLEITBUCH_DEMO")]
    demo: bool,

    /// Starts the server's clock at this instant (RFC 3339, e.g. 2026-11-24T09:30:00+01:00) instead of
    /// the machine's time; it runs on from there. For tests and demonstrations of a given school day,
    /// never for real data: tokens, sign-in limits and received-at times all follow this clock.
    #[arg(long, env = "BEGLEITBUCH_CLOCK_START", value_parser = parse_instant, global = true)]
    clock_start: Option<chrono::DateTime<chrono::Utc>>,

    /// Log format: "text" for people, "json" for log collectors. Filter with RUST_LOG (default: info).
    #[arg(long, env = "BEGLEITBUCH_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"], global = true)]
    log_format: String,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Creates the provider (if it does not exist yet) and its first admin account. Reads the password
    /// from the first line of standard input, so it never appears in the shell history or process list.
    CreateAdmin {
        /// The provider (Träger) the admin belongs to, e.g. "Beispiel-Träger gGmbH".
        #[arg(long)]
        provider: String,
        /// The sign-in name.
        #[arg(long)]
        login: String,
        /// How the admin appears in the app.
        #[arg(long)]
        display_name: String,
    },
    /// Writes a consistent copy of the database to a new file while the server may keep running
    /// (SQLite: VACUUM INTO; PostgreSQL: pg_dump in custom format).
    Backup {
        /// The backup file to write; must not exist yet.
        #[arg(long)]
        to: PathBuf,
    },
    /// Restores a backup into an empty database (a data directory without a database file, or a new
    /// PostgreSQL database) and gives it a new epoch, so every device resyncs.
    Restore {
        /// The backup file written by `backup`.
        #[arg(long)]
        from: PathBuf,
    },
}

fn parse_instant(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|instant| instant.to_utc())
        .map_err(|e| format!("not an RFC 3339 instant such as 2026-11-24T09:30:00+01:00: {e}"))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_logging(&cli.log_format);
    let clock = cli.clock_start.map_or_else(Clock::system, Clock::starting_at);
    if let Some(start) = cli.clock_start {
        tracing::warn!(%start, "the server's clock is set to start at a given instant (tests and demonstrations only)");
    }
    match cli.command {
        Some(Command::CreateAdmin { provider, login, display_name }) => {
            let store = open_store(&cli.database_url, &cli.data_dir).await?;
            let mut password = String::new();
            std::io::stdin().read_line(&mut password).context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']);
            let admin = begleitbuch_server::setup::create_admin(
                store.as_ref(),
                &provider,
                &login,
                &display_name,
                password,
                clock,
            )
            .await?;
            println!("Admin {} ({}) angelegt.", admin.login, admin.id);
            Ok(())
        }
        Some(Command::Backup { to }) => {
            let store = open_store(&cli.database_url, &cli.data_dir).await?;
            store.backup(&to).await.context("writing the backup")?;
            println!("Sicherung geschrieben: {}", to.display());
            Ok(())
        }
        Some(Command::Restore { from }) => {
            let store = begleitbuch_store::restore(&from, cli.database_url.as_deref(), &cli.data_dir)
                .await
                .context("restoring the backup")?;
            println!("Wiederhergestellt aus {}; neue Epoche {}", from.display(), store.epoch().await?);
            Ok(())
        }
        None => serve(cli, clock).await,
    }
}

async fn open_store(
    database_url: &Option<String>,
    data_dir: &std::path::Path,
) -> anyhow::Result<std::sync::Arc<dyn begleitbuch_store::Store>> {
    begleitbuch_store::open(database_url.as_deref(), data_dir).await.context("opening the database")
}

async fn serve(cli: Cli, clock: Clock) -> anyhow::Result<()> {
    // The app first: a server started in the wrong directory should not create a database there.
    let assets = begleitbuch_server::assets::AppAssets::load(&cli.assets_dir)
        .with_context(|| format!("the built web app is missing in {}", cli.assets_dir.display()))?;
    let store = open_store(&cli.database_url, &cli.data_dir).await?;
    for task in
        store.run_pending_tasks(clock.now_millis()).await.context("running the migrations' data tasks")?
    {
        tracing::info!(%task, "data task done");
    }
    let listener = tokio::net::TcpListener::bind(cli.listen)
        .await
        .with_context(|| format!("cannot listen on {}", cli.listen))?;
    let address = listener.local_addr()?;

    let demo_logins =
        if cli.demo { Some(begleitbuch_server::demo::seed(store.as_ref(), clock).await?) } else { None };

    tracing::info!(%address, database = store.backend().name(), "Begleitbuch server started");
    // Scripts and tests read this line to find the server.
    println!("Begleitbuch läuft auf http://{address}/");
    if let Some(logins) = demo_logins {
        print!("{}", begleitbuch_server::demo::logins_text(&logins));
    }

    tokio::spawn(begleitbuch_server::retention::redact_answer_log_hourly(store.clone(), clock));
    let app = begleitbuch_server::router(begleitbuch_server::AppState::new(
        store,
        assets,
        cli.trusted_proxies,
        clock,
    ));
    // The peer address feeds the per-address sign-in limit.
    let service = app.into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service).with_graceful_shutdown(shutdown_signal()).await?;
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
