//! One module per command; [`dispatch`] routes the parsed command line.

pub mod check;
pub mod create;
pub mod envsubst;
pub mod events;
pub mod export;
pub mod get;
pub mod helm;
pub mod install;
pub mod kbuild;
pub mod kdiff;
pub mod kustomize;
pub mod lifecycle;
pub mod reconcile;
pub mod secret;
pub mod trace;
pub mod tree;
pub mod uninstall;
pub mod version;

use crate::args::{Cli, Command};
use crate::error::CliError;

pub async fn dispatch(cli: Cli) -> Result<(), CliError> {
    let g = &cli.global;
    match cli.command {
        Command::Version(a) => version::run(g, &a).await,
        Command::Envsubst(a) => envsubst::run(&a),
        Command::Kustomize(c) => kustomize::run(&c),
        Command::Install(a) => install::run(g, &a).await,
        Command::Create(c) => create::run(g, *c).await,
        Command::Get(a) => get::run(g, &a).await,
        Command::Suspend(a) => lifecycle::suspend(g, &a).await,
        Command::Resume(a) => lifecycle::resume(g, &a).await,
        Command::Reconcile(a) => reconcile::run(g, &a).await,
        Command::Delete(a) => lifecycle::delete(g, &a).await,
        Command::Export(a) => export::run(g, &a).await,
        Command::Up(a) => crate::up::run(g, &a).await,
        Command::Tree(a) => tree::run(g, &a).await,
        Command::Events(a) => events::run(g, &a).await,
        Command::Trace(a) => trace::run(g, &a).await,
        Command::Check(a) => check::run(g, &a).await,
        Command::Helm(c) => helm::run(g, &c),
        Command::Build(crate::args::BuildCommand::Kustomization(a)) => kbuild::run(g, &a).await,
        Command::Diff(crate::args::DiffCommand::Kustomization(a)) => kdiff::run(g, &a).await,
        Command::Uninstall(a) => uninstall::run(g, &a).await,
    }
}
