//! Dynamic references and the unevaluated keywords: `$recursiveRef` (2019-09) and
//! `$dynamicRef` (2020-12) resolved through the dynamic scope as v6 does, then
//! `unevaluatedProperties`/`unevaluatedItems` over what no other keyword evaluated.

use serde_json::Value;

use super::resources::Loc;
use super::validate::Vd;

impl Vd<'_, '_> {
    /// `$recursiveRef` (2019-09) and `$dynamicRef` (2020-12): the outermost dynamic scope's
    /// matching anchor wins.
    pub(super) fn dynamic_refs(&mut self) {
        if let Some(target) = self
            .vr
            .refs
            .get(&(self.loc.clone(), "$recursiveRef"))
            .cloned()
        {
            let mut target = target;
            let anchored = |loc: &Loc| {
                self.vr
                    .reg
                    .value(loc)
                    .and_then(|v| v.get("$recursiveAnchor"))
                    == Some(&Value::Bool(true))
            };
            if anchored(&target) {
                let mut sc = Some(self.scope.clone());
                while let Some(s) = sc {
                    let root = self.vr.reg.resource(&s.loc).map(|r| Loc {
                        doc: s.loc.doc,
                        ptr: r.ptr.clone(),
                    });
                    if root.as_ref().is_some_and(anchored) {
                        target = s.loc.clone();
                    }
                    sc = s.parent.clone();
                }
            }
            if let Err(e) = self.reference(target, "$recursiveRef") {
                self.errors.push(e);
            }
        }
        if let Some(target) = self
            .vr
            .refs
            .get(&(self.loc.clone(), "$dynamicRef"))
            .cloned()
        {
            let target = self.dynamic_target(target);
            if let Err(e) = self.reference(target, "$dynamicRef") {
                self.errors.push(e);
            }
        }
    }

    fn dynamic_target(&self, initial: Loc) -> Loc {
        let Some(Value::String(r)) = self.kw("$dynamicRef") else {
            return initial;
        };
        let anchor = match r.split_once('#') {
            Some((_, f)) if !f.is_empty() && !f.starts_with('/') => f.to_string(),
            _ => return initial,
        };
        let has_anchor = self
            .vr
            .reg
            .value(&initial)
            .and_then(|v| v.get("$dynamicAnchor"))
            == Some(&Value::String(anchor.clone()));
        if !has_anchor {
            return initial;
        }
        let mut target = initial;
        let mut sc = Some(self.scope.clone());
        while let Some(s) = sc {
            if let Some(res) = self.vr.reg.resource(&s.loc)
                && res.dynamic_anchors.contains(&anchor)
                && let Some(ptr) = res.anchors.get(&anchor)
            {
                target = Loc {
                    doc: s.loc.doc,
                    ptr: ptr.clone(),
                };
            }
            sc = s.parent.clone();
        }
        target
    }

    pub(super) fn unevaluated(&mut self) {
        if let Value::Object(m) = self.v
            && self.kw("unevaluatedProperties").is_some()
        {
            let loc = self.sub("/unevaluatedProperties");
            let names: Vec<String> = std::mem::take(&mut self.uneval.props).into_iter().collect();
            for name in names {
                if let Some(pv) = m.get(&name)
                    && let Err(e) = self.validate_val(loc.clone(), pv, &name)
                {
                    self.errors.push(e);
                }
            }
        }
        if let Value::Array(a) = self.v
            && self.kw("unevaluatedItems").is_some()
        {
            let loc = self.sub("/unevaluatedItems");
            let items: Vec<usize> = std::mem::take(&mut self.uneval.items).into_iter().collect();
            for i in items {
                if let Some(item) = a.get(i)
                    && let Err(e) = self.validate_val(loc.clone(), item, &i.to_string())
                {
                    self.errors.push(e);
                }
            }
        }
    }
}
