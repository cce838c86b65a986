//! `trellis serve | migrate | seed-demo | openapi`

use std::process::ExitCode;
use trellis_api::{Application, Config, db, seed};

const USAGE: &str = "usage: trellis <serve|migrate|create-admin|seed-demo|rotate-signing-key|openapi>

  serve      migrate, then serve the API, the docs (/api/docs) and the SPA (/)
  migrate    apply pending database migrations
  create-admin <email> <name>
             the first platform admin of a new installation (or make an existing
             account one); the password comes from TRELLIS_ADMIN_PASSWORD or stdin
  seed-demo  load the demo trust into an empty database (does nothing if it holds data)
  rotate-signing-key
             make a new certificate-signing key and sign with it from the next start;
             the keys it replaces stay published, so earlier credentials still verify
  seed-bench the demo trust plus a national-scale dataset (make bench)
  bench-sql  time the raw SQL behind three endpoints (make bench)
  openapi    print the OpenAPI document

environment: DATABASE_URL, TRELLIS_BIND, TRELLIS_DATA_DIR, TRELLIS_JWT_SECRET,
             TRELLIS_STATIC_DIR, TRELLIS_DEMO_PASSWORD, TRELLIS_PUBLIC_URL,
             TRELLIS_TRUSTED_PROXIES, TRELLIS_SMTP_URL, TRELLIS_MAIL_FROM,
             TRELLIS_ADMIN_PASSWORD (create-admin), TRELLIS_BENCH_SEED (seed-bench), RUST_LOG";

type Fallible = Result<(), Box<dyn std::error::Error + Send + Sync>>;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let command = std::env::args().nth(1).unwrap_or_default();
    let result: Fallible = match command.as_str() {
        "openapi" => {
            print!("{}", trellis_api::startup::openapi_json());
            Ok(())
        }
        "migrate" => migrate(),
        "create-admin" => create_admin(),
        "seed-demo" => seed_demo(),
        "seed-bench" => seed_bench(),
        "rotate-signing-key" => rotate_signing_key(),
        "bench-sql" => bench_sql(),
        "serve" => serve(),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("trellis {command}: {e}");
            ExitCode::FAILURE
        }
    }
}

fn rotate_signing_key() -> Fallible {
    let config = Config::from_env()?;
    let kid = trellis_api::signing::rotate(&config.data_dir)?;
    println!("{kid}");
    eprintln!("new signing key {kid}; restart the server (every node) to sign with it");
    Ok(())
}

fn pool(config: &Config) -> Result<db::DbPool, Box<dyn std::error::Error + Send + Sync>> {
    let pool = db::connect(&config.database_url)?;
    db::migrate(&pool)?;
    Ok(pool)
}

fn migrate() -> Fallible {
    let config = Config::from_env()?;
    let pool = db::connect(&config.database_url)?;
    let n = db::migrate(&pool)?;
    println!("applied {n} migration(s) to the {} database", db::Backend::of(&config.database_url).as_str());
    Ok(())
}

fn create_admin() -> Fallible {
    let mut args = std::env::args().skip(2);
    let (Some(email), Some(name)) = (args.next(), args.next()) else {
        return Err("usage: trellis create-admin <email> <name>".into());
    };
    let password = match std::env::var("TRELLIS_ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            eprintln!("Password for {email} (at least 10 characters; it is shown as you type):");
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let config = Config::from_env()?;
    let pool = pool(&config)?;
    match trellis_api::admin::create_admin(&pool, &email, &name, &password)? {
        trellis_api::admin::AdminOutcome::Created => {
            println!("Created platform admin {email}. Sign in, then invite everyone else.")
        }
        trellis_api::admin::AdminOutcome::Promoted => {
            println!("{email} already had an account; it is now a platform admin too (password unchanged).")
        }
    }
    Ok(())
}

fn seed_demo() -> Fallible {
    let config = Config::from_env()?;
    let pool = pool(&config)?;
    match seed::seed_demo(&pool, &config.demo_password)? {
        seed::SeedOutcome::AlreadyHasData { demo } => {
            println!("The database already holds data; nothing was seeded.");
            if demo {
                print_sign_ins("It holds the demo trust; sign in with any of these (password as when it was seeded):");
            }
        }
        seed::SeedOutcome::Seeded => {
            print_sign_ins(&format!(
                "Seeded the demo trust. Sign in with any of these (password: {}):",
                config.demo_password
            ));
        }
    }
    Ok(())
}

/// The demo trust, then a national-scale dataset on top (`make bench`), from a fixed seed.
fn seed_bench() -> Fallible {
    let config = Config::from_env()?;
    let pool = pool(&config)?;
    seed::seed_demo(&pool, &config.demo_password)?;
    let seed = std::env::var("TRELLIS_BENCH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(20261201);
    let made = trellis_api::db::bench_seed::seed_bench(&pool, seed)?;
    println!("seed-bench: {} rows in {:.1} s (seed {seed})", made.rows, made.seconds);
    Ok(())
}

/// Times the SQL behind two endpoints, as raw queries on a pooled connection, for `make bench`.
fn bench_sql() -> Fallible {
    let config = Config::from_env()?;
    let pool = db::connect(&config.database_url)?;
    let mut args = std::env::args().skip(2);
    let (Some(enrolment), Some(cohort), Some(trust)) = (args.next(), args.next(), args.next()) else {
        return Err("usage: trellis bench-sql <enrolment id> <cohort id> <trust id>".into());
    };
    for (name, micros) in trellis_api::db::bench_seed::time_raw_sql(&pool, &enrolment, &cohort, &trust)? {
        println!("{name} {micros:.1}");
    }
    Ok(())
}

fn print_sign_ins(heading: &str) {
    println!("{heading}");
    for (email, role, sees) in seed::DEMO_USERS {
        println!("  {email:<28} {role:<19} sees {sees}");
    }
    println!(
        "  machine client: {} / {} (roster:write progress:read, school A only)",
        seed::DEMO_CLIENT_ID,
        seed::DEMO_CLIENT_SECRET
    );
    println!(
        "  machine client: {} / {} (progress:read, the whole trust)",
        seed::DEMO_DASHBOARD_ID,
        seed::DEMO_DASHBOARD_SECRET
    );
    println!(
        "  {} is invited and has not accepted: the email waits on the outbox page (sign in as admin)",
        seed::DEMO_INVITEE
    );
}

fn serve() -> Fallible {
    let config = Config::from_env()?;
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(&config)?;
        match &config.static_dir {
            Some(d) => tracing::info!("serving the SPA from {}", d.display()),
            None => tracing::warn!("no SPA build found (frontend/dist); run `make frontend` or set TRELLIS_STATIC_DIR"),
        }
        println!(
            "Trellis is listening on http://{} ({} database); API docs at /api/docs",
            app.addr,
            app.backend.as_str()
        );
        app.run().await?;
        Ok(())
    })
}
