//! `trellis-sync`: syncs a OneRoster 1.2 CSV folder (an MIS's export: `manifest.csv`, `orgs.csv`,
//! `users.csv`, optionally `roles.csv`) into Trellis as a machine client, and prints the result of
//! every row.
//!
//! ```sh
//! export TRELLIS_URL=http://127.0.0.1:8080 TRELLIS_CLIENT_ID=demo-mis TRELLIS_CLIENT_SECRET=trellis-demo-secret
//! cargo run -p trellis-client --example trellis-sync -- path/to/oneroster-folder --dry-run
//! ```
//!
//! Exit status: 0 when every row was taken, 2 when some were refused (each with its reasons),
//! 1 when the sync could not be made at all.

use std::process::ExitCode;

use trellis_client::{Client, ClientError, bundle_folder};
use trellis_wire::{RosterSyncResult, RowOutcome};

const USAGE: &str = "usage: trellis-sync FOLDER [--dry-run]
  FOLDER      a OneRoster 1.2 CSV export (manifest.csv, orgs.csv, users.csv, roles.csv)
  --dry-run   say what would change, and change nothing
environment: TRELLIS_URL (default http://127.0.0.1:8080), TRELLIS_CLIENT_ID, TRELLIS_CLIENT_SECRET";

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set\n{USAGE}"))
}

fn problem(e: ClientError) -> String {
    match e {
        ClientError::Api(p) => {
            let fields: Vec<String> =
                p.errors.iter().map(|f| format!("\n  {}: {} ({})", f.field, f.message, f.code)).collect();
            format!("{} {}: {}{}", p.status, p.code, p.detail.unwrap_or_default(), fields.concat())
        }
        other => other.to_string(),
    }
}

/// One line per row, in the order given, then the totals.
fn report(r: &RosterSyncResult) -> String {
    let mut out = String::new();
    for o in &r.orgs {
        out.push_str(&format!("orgs.csv  row {:>5}  {:<20} {}\n", o.row, o.sourced_id, o.outcome.as_str()));
    }
    for u in &r.users {
        let outcome = u.outcome.as_str();
        let detail = match u.outcome {
            RowOutcome::Updated => u.changed.join(", "),
            RowOutcome::Refused => {
                u.errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ")
            }
            _ if u.flagged_enrolments > 0 => format!("{} enrolment(s) flagged left school", u.flagged_enrolments),
            _ => String::new(),
        };
        out.push_str(
            format!("users.csv row {:>5}  {:<20} {:<9} {}\n", u.row, u.sourced_id, outcome, detail).trim_end(),
        );
        out.push('\n');
    }
    let s = &r.summary;
    out.push_str(&format!(
        "{}{} created, {} updated, {} left, {} unchanged, {} refused\n",
        if r.dry_run { "dry run (nothing written): " } else { "" },
        s.created,
        s.updated,
        s.left,
        s.unchanged,
        s.refused
    ));
    out
}

async fn sync() -> Result<RosterSyncResult, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dry_run = args.iter().any(|a| a == "--dry-run");
    let folders: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [folder] = folders.as_slice() else { return Err(USAGE.into()) };
    if let Some(unknown) = args.iter().find(|a| a.starts_with("--") && *a != "--dry-run") {
        return Err(format!("unknown option {unknown}\n{USAGE}"));
    }
    let bundle = bundle_folder(std::path::Path::new(folder)).map_err(|e| e.to_string())?;
    let url = std::env::var("TRELLIS_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
    let client = Client::new(url.trim_end_matches('/'));
    let token = client
        .create_client_token(&env("TRELLIS_CLIENT_ID")?, &env("TRELLIS_CLIENT_SECRET")?, Some("roster:write"))
        .await
        .map_err(problem)?;
    client.with_token(token.access_token).sync_roster_bundle(&bundle, dry_run).await.map_err(problem)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match sync().await {
        Ok(result) => {
            print!("{}", report(&result));
            if result.summary.refused > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS }
        }
        Err(e) => {
            eprintln!("trellis-sync: {e}");
            ExitCode::from(1)
        }
    }
}
