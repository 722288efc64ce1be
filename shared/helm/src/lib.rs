//! fluxion-helm: native Helm chart rendering. [`template`] is Go's text/template as Helm
//! uses it; Sprig, Helm's functions and chart loading build on it.

pub mod chart;
pub mod cli;
pub mod engine;
pub mod live;
pub mod release;
pub mod sprig;
pub mod strvals;
pub mod template;
pub mod values;
pub mod yaml;
