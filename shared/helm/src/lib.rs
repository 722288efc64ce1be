//! fluxion-helm: native Helm chart rendering.
