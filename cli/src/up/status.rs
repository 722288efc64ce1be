//! The live status table of `fluxion up`: every source and Kustomization in one table,
//! redrawn in place on a terminal, printed again only when it changes otherwise.

use std::io::IsTerminal as _;

use kube::api::{Api, DynamicObject, ListParams};

use crate::commands::get::{headers, row};
use crate::error::CliError;
use crate::kinds::FluxKind;
use crate::table;

/// The table as `fluxion get all -A` would print it, in one block.
pub async fn snapshot(client: &kube::Client) -> Result<String, CliError> {
    let mut rows = Vec::new();
    for kind in FluxKind::ALL {
        let api: Api<DynamicObject> = Api::all_with(client.clone(), &kind.api_resource());
        for obj in api.list(&ListParams::default()).await?.items {
            rows.push(row(kind, &obj, true, true));
        }
    }
    Ok(table::render(&headers(true), &rows))
}

/// Prints tables, replacing the previous one on a terminal.
#[derive(Default)]
pub struct Display {
    last: String,
}

impl Display {
    pub fn show(&mut self, text: &str) -> std::io::Result<()> {
        if text == self.last {
            return Ok(());
        }
        let mut out = String::new();
        if std::io::stdout().is_terminal() && !self.last.is_empty() {
            // Cursor up over the previous table, then clear to the end of the screen.
            out.push_str(&format!("\x1b[{}A\x1b[J", self.last.lines().count()));
        }
        out.push_str(text);
        self.last = text.to_string();
        crate::output::emit(&out)
    }
}
