//! The benchmark's input trees, written at run time so nothing large is committed.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

/// Bases in the large tree, and Deployment/Service/ConfigMap triples in each.
const BASES: usize = 4;
const TRIPLES_PER_BASE: usize = 165;
/// Overlay layers stacked on the bases, each adding its own transformers and generators.
const LAYERS: usize = 5;

fn write(path: &Path, text: &str) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}

fn deployment(name: &str, cm: &str, tier: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels:
    app: {name}
    tier: {tier}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
      - name: app
        image: registry.example.com/team/{name}:1.0.0
        ports:
        - containerPort: 8080
        envFrom:
        - configMapRef:
            name: {cm}
        volumeMounts:
        - name: config
          mountPath: /etc/app
      volumes:
      - name: config
        configMap:
          name: {cm}
"
    )
}

fn service(name: &str, tier: &str) -> String {
    format!(
        "apiVersion: v1
kind: Service
metadata:
  name: {name}
  labels:
    tier: {tier}
spec:
  selector:
    app: {name}
  ports:
  - port: 80
    targetPort: 8080
"
    )
}

fn configmap(name: &str) -> String {
    format!(
        "apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: \"a,b,c\"
"
    )
}

/// The small overlay: a base with a Deployment, a Service and a ConfigMap, and an overlay
/// with namePrefix, labels, a strategic-merge patch, images and a configMapGenerator.
pub fn small(root: &Path) -> io::Result<PathBuf> {
    let base = root.join("small/base");
    write(
        &base.join("deployment.yaml"),
        &deployment("web", "web-config", "frontend"),
    )?;
    write(&base.join("service.yaml"), &service("web", "frontend"))?;
    write(&base.join("configmap.yaml"), &configmap("web-config"))?;
    write(
        &base.join("kustomization.yaml"),
        "resources:\n- deployment.yaml\n- service.yaml\n- configmap.yaml\n",
    )?;
    let overlay = root.join("small/overlay");
    write(
        &overlay.join("kustomization.yaml"),
        "resources:
- ../base
namePrefix: prod-
labels:
- pairs:
    env: prod
  includeSelectors: true
patches:
- path: replicas.yaml
images:
- name: registry.example.com/team/web
  newTag: 2.0.0
configMapGenerator:
- name: settings
  literals:
  - MODE=production
  - REGION=eu-west-1
",
    )?;
    write(
        &overlay.join("replicas.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n",
    )?;
    Ok(overlay)
}

fn large_base(dir: &Path, b: usize) -> io::Result<()> {
    let mut docs = String::new();
    for i in 0..TRIPLES_PER_BASE {
        let name = format!("svc{b}-{i}");
        let cm = format!("{name}-config");
        // One in twenty is a frontend: overlays patch those, as real overlays patch a few.
        let tier = if i % 20 == 0 { "frontend" } else { "backend" };
        let _ = write!(
            docs,
            "{}---\n{}---\n{}---\n",
            deployment(&name, &cm, tier),
            service(&name, tier),
            configmap(&cm)
        );
    }
    write(&dir.join("resources.yaml"), &docs)?;
    write(
        &dir.join("kustomization.yaml"),
        "resources:\n- resources.yaml\n",
    )
}

fn layer_kustomization(layer: usize) -> String {
    let below = if layer == 0 {
        (0..BASES).map(|b| format!("- ../base{b}\n")).collect()
    } else {
        format!("- ../layer{}\n", layer - 1)
    };
    // One layer sets the namespace, so name references and namespaces interact as in a
    // real fleet repository; the others only prefix, label and patch.
    let namespace = if layer == 2 { "namespace: fleet\n" } else { "" };
    format!(
        "resources:
{below}namePrefix: l{layer}-
{namespace}labels:
- pairs:
    layer{layer}: \"true\"
commonAnnotations:
  fluxion.bench/layer: \"{layer}\"
patches:
- path: patch.yaml
  target:
    kind: Deployment
    labelSelector: tier=frontend
- target:
    kind: Service
    labelSelector: tier=frontend
  patch: |-
    - op: add
      path: /spec/ports/-
      value:
        name: metrics-l{layer}
        port: 900{layer}
images:
- name: registry.example.com/team/svc0-{layer}
  newTag: \"{layer}.0.0\"
configMapGenerator:
- name: layer{layer}-settings
  literals:
  - LAYER={layer}
  - MODE=bench
secretGenerator:
- name: layer{layer}-credentials
  literals:
  - token=layer{layer}-not-a-secret
"
    )
}

fn layer_patch(layer: usize) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: any
spec:
  template:
    spec:
      containers:
      - name: app
        env:
        - name: LAYER_{layer}
          value: \"on\"
"
    )
}

/// The large tree: bases of Deployments/Services/ConfigMaps under five overlay layers,
/// each with namePrefix, labels, annotations, patches and generators (~2,000 resources).
pub fn large(root: &Path) -> io::Result<PathBuf> {
    let top = root.join("large");
    for b in 0..BASES {
        large_base(&top.join(format!("base{b}")), b)?;
    }
    for layer in 0..LAYERS {
        let dir = top.join(format!("layer{layer}"));
        write(&dir.join("kustomization.yaml"), &layer_kustomization(layer))?;
        write(&dir.join("patch.yaml"), &layer_patch(layer))?;
    }
    Ok(top.join(format!("layer{}", LAYERS - 1)))
}
