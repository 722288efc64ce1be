//! `images`: kustomize's ImageTagTransformer, once per entry.
//!
//! Each entry runs twice over every object, as in kustomize: the legacy pass changes the
//! `image` of items under any `containers` or `initContainers` list at any depth, then the
//! configured `images` field specs are followed. (A `tagSuffix` is thus added twice.)
//! CustomResourceDefinitions are left alone.

use regex::Regex;

use super::fieldspec;
use crate::build::{BuildError, StepContext, Transformer};
use crate::kustomization::{FieldSpec, Image, Kustomization};
use crate::resmap::ResMap;
use crate::yaml::resolve::STR_TAG;
use crate::yaml::{Content, Node, Style};

pub struct Images;

fn kind_name(n: &Node) -> &'static str {
    match n.content {
        Content::Scalar(_) => "ScalarNode",
        Content::Sequence(_) => "SequenceNode",
        Content::Mapping(_) => "MappingNode",
    }
}

/// kustomize's `image.Split`: name, tag and digest of `[host[:port]/]path[:tag][@digest]`.
pub fn split(image: &str) -> (&str, &str, &str) {
    let slash = match image.find('/') {
        Some(i) if i > 0 => i,
        _ => 0,
    };
    let search = &image[slash..];
    let at = search.find('@').map(|i| i + slash);
    let colon = search.find(':').map(|i| i + slash);
    match (colon, at) {
        (None, None) => (image, "", ""),
        (c, Some(a)) if c.is_none_or(|c| a < c) => (&image[..a], "", &image[a + 1..]),
        (Some(c), Some(a)) => (&image[..c], &image[c + 1..a], &image[a + 1..]),
        (Some(c), None) => (&image[..c], &image[c + 1..], ""),
        // The guard above takes every (None, Some) case.
        (None, Some(a)) => (&image[..a], "", &image[a + 1..]),
    }
}

/// One `images` entry, ready to apply.
pub struct ImageRule<'a> {
    image: &'a Image,
    /// An invalid name fails only when an image is compared with it, as in kustomize.
    pattern: Result<Regex, String>,
}

impl<'a> ImageRule<'a> {
    /// kustomize's `IsImageMatched` pattern: the name is a regex, then an optional tag
    /// and sha256 digest.
    pub fn new(image: &'a Image) -> ImageRule<'a> {
        let src = format!(
            "^{}(:[a-zA-Z0-9_.{{}}-]*)?(@sha256:[a-zA-Z0-9_.{{}}-]*)?$",
            image.name
        );
        let pattern = Regex::new(&src)
            .map_err(|e| format!("image name '{}' is not a valid regex: {e}", image.name));
        ImageRule { image, pattern }
    }

    /// The new value of an image reference, `None` when the entry does not match it.
    pub fn rewrite(&self, value: &str) -> Result<Option<String>, String> {
        if !self.pattern.as_ref().map_err(Clone::clone)?.is_match(value) {
            return Ok(None);
        }
        let img = self.image;
        let (name, tag, digest) = split(value);
        let mut name = name.to_string();
        if !img.new_name.is_empty() {
            name.clone_from(&img.new_name);
        }
        let (tag, digest) = match (img.new_tag.as_str(), img.digest.as_str()) {
            (t, d) if !t.is_empty() && !d.is_empty() => (t.to_string(), d),
            (t, _) if !t.is_empty() => (t.to_string(), ""),
            (_, d) if !d.is_empty() => (String::new(), d),
            _ if !img.tag_suffix.is_empty() => (format!("{tag}{}", img.tag_suffix), ""),
            _ => (tag.to_string(), digest),
        };
        if !tag.is_empty() {
            name = format!("{name}:{tag}");
        }
        if !digest.is_empty() {
            name = format!("{name}@{digest}");
        }
        Ok(Some(name))
    }

    /// kustomize's `SetImageValue`: the target must be a scalar; the new value keeps its
    /// style and has no tag (so it reads back as whatever its text resolves to).
    fn set(&self, target: &mut Node) -> Result<(), String> {
        let Content::Scalar(value) = &target.content else {
            return Err(format!(
                "wrong node kind: expected ScalarNode but got {}",
                kind_name(target)
            ));
        };
        let Some(new) = self.rewrite(value)? else {
            return Ok(());
        };
        let style = target.style;
        let mut n = Node::plain(new);
        if style != Style::Plain {
            n.tag = STR_TAG.into();
        }
        n.style = style;
        *target = n;
        Ok(())
    }

    /// The legacy pass: items of `containers`/`initContainers` lists anywhere.
    fn legacy(&self, node: &mut Node) -> Result<(), String> {
        match &mut node.content {
            Content::Mapping(entries) => {
                for (k, v) in entries.iter_mut() {
                    self.legacy(v)?;
                    let key = k.scalar().unwrap_or_default();
                    if key == "containers" || key == "initContainers" {
                        self.containers(v)?;
                    }
                }
                Ok(())
            }
            Content::Sequence(items) => items.iter_mut().try_for_each(|i| self.legacy(i)),
            Content::Scalar(_) => Ok(()),
        }
    }

    fn containers(&self, list: &mut Node) -> Result<(), String> {
        let Content::Sequence(items) = &mut list.content else {
            return Ok(());
        };
        for item in items.iter_mut().filter(|i| !i.is_null()) {
            if !item.is_mapping() {
                return Err(format!(
                    "wrong node kind: expected MappingNode but got {}",
                    kind_name(item)
                ));
            }
            if let Some(image) = item.get_mut("image") {
                self.set(image)?;
            }
        }
        Ok(())
    }

    /// Both passes over one object.
    pub fn apply(&self, node: &mut Node, specs: &[FieldSpec]) -> Result<(), BuildError> {
        if node.get_str(&["kind"]) == Some("CustomResourceDefinition") {
            return Ok(());
        }
        self.legacy(node).map_err(BuildError::Invalid)?;
        for spec in specs {
            let mut set = |n: &mut Node| self.set(n);
            fieldspec::apply(node, spec, None, &mut set)
                .map_err(|e| BuildError::Invalid(e.to_string()))?;
        }
        Ok(())
    }
}

impl Transformer for Images {
    fn field(&self) -> &'static str {
        "images"
    }

    fn applies(&self, k: &Kustomization) -> bool {
        !k.images.is_empty()
    }

    fn transform(&self, ctx: &StepContext<'_>, resources: &mut ResMap) -> Result<(), BuildError> {
        let specs = resources.config.images.clone();
        for image in &ctx.kustomization.images {
            let rule = ImageRule::new(image);
            for r in resources.resources_mut() {
                rule.apply(&mut r.node, &specs)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_handles_registries_ports_tags_digests() {
        let cases = [
            ("nginx", ("nginx", "", "")),
            ("nginx:1.2", ("nginx", "1.2", "")),
            ("nginx@sha256:ab", ("nginx", "", "sha256:ab")),
            ("nginx:1@sha256:ab", ("nginx", "1", "sha256:ab")),
            ("reg:5000/a/b", ("reg:5000/a/b", "", "")),
            ("reg:5000/a/b:t", ("reg:5000/a/b", "t", "")),
            ("reg:5000/a@sha256:x", ("reg:5000/a", "", "sha256:x")),
            ("/x:y", ("/x", "y", "")),
        ];
        for (input, want) in cases {
            assert_eq!(split(input), want, "{input}");
        }
    }

    #[test]
    fn rewrite_follows_kustomize_precedence() {
        let img = |name: &str, new_name: &str, tag: &str, digest: &str, suffix: &str| Image {
            name: name.into(),
            new_name: new_name.into(),
            new_tag: tag.into(),
            digest: digest.into(),
            tag_suffix: suffix.into(),
        };
        let cases = [
            (img("nginx", "", "2", "", ""), "nginx:1", Some("nginx:2")),
            (
                img("nginx", "", "", "sha256:d", ""),
                "nginx:1",
                Some("nginx@sha256:d"),
            ),
            (
                img("nginx", "", "2", "sha256:d", ""),
                "nginx",
                Some("nginx:2@sha256:d"),
            ),
            (
                img("nginx", "my/ngx", "", "", ""),
                "nginx:1",
                Some("my/ngx:1"),
            ),
            (
                img("nginx", "", "", "", "-x"),
                "nginx:1@sha256:a",
                Some("nginx:1-x"),
            ),
            (img("nginx", "", "2", "", ""), "nginx-other:1", None),
            (img("nginx", "", "2", "", ""), "docker.io/nginx", None),
        ];
        for (image, value, want) in cases {
            let rule = ImageRule::new(&image);
            assert_eq!(
                rule.rewrite(value).ok().flatten().as_deref(),
                want,
                "{value}"
            );
        }
    }
}
