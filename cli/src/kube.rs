//! The Kubernetes client a command talks through: --kubeconfig and --context as kubectl reads
//! them, else $KUBECONFIG / ~/.kube/config, else the in-cluster service account.

use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};

use crate::args::GlobalArgs;
use crate::error::CliError;

pub async fn client(global: &GlobalArgs) -> Result<Client, CliError> {
    let options = KubeConfigOptions {
        context: global.context.clone(),
        ..Default::default()
    };
    let mut config = match &global.kubeconfig {
        Some(path) => {
            let kubeconfig = Kubeconfig::read_from(path)
                .map_err(|e| CliError::Kubeconfig(format!("{}: {e}", path.display())))?;
            Config::from_custom_kubeconfig(kubeconfig, &options)
                .await
                .map_err(|e| CliError::Kubeconfig(e.to_string()))?
        }
        None if global.context.is_some() => Config::from_kubeconfig(&options)
            .await
            .map_err(|e| CliError::Kubeconfig(e.to_string()))?,
        None => Config::infer()
            .await
            .map_err(|e| CliError::Kubeconfig(e.to_string()))?,
    };
    config.read_timeout = Some(global.timeout);
    Client::try_from(config).map_err(CliError::Kube)
}
