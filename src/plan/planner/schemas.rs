//! Schemas: content-addressed, so a content change is a new schema created
//! before the datasets move to it, and the old one deleted once unused.

use super::builder::{NewChange, StepId};
use super::values::{live_schema_value, schema_value};
use super::Planner;
use crate::avro;
use crate::plan::model::{Action, ArnRef, Op};
use crate::plan::Reason;
use crate::resource::Address;
use crate::state::LiveSchema;

impl<'a> Planner<'a> {
    pub(super) fn plan_schemas(&mut self) {
        let spec = self.spec;
        for (key, schema) in &spec.schemas {
            if self.live.schema_by_name(&schema.name).is_some() {
                continue;
            }
            let address = Address::schema(key);
            let old = self
                .stale_schemas()
                .find(|(k, _)| *k == key)
                .map(|(_, s)| s);
            let (action, reasons, before) = match old {
                Some(old) => (
                    Action::Replace,
                    vec![Reason::SchemaContentChanged {
                        schema: schema.name.clone(),
                        old: old.name.clone(),
                    }],
                    Some(live_schema_value(old)),
                ),
                None => (Action::Create, Vec::new(), None),
            };
            self.out.change(NewChange {
                address: address.clone(),
                action,
                reasons,
                // Schemas hold no data: the datasets move to the new one.
                destructive: false,
                before,
                after: Some(schema_value(schema)),
                notes: Vec::new(),
            });
            let id = self.out.step(
                &address,
                Op::CreateSchema {
                    name: schema.name.clone(),
                    definition: schema.canonical.clone(),
                    domain: schema.domain,
                },
                [],
            );
            self.schema_steps.insert(schema.name.clone(), id);
        }
    }

    /// Live schemas of this stack whose content the spec no longer has, with their key.
    fn stale_schemas(&self) -> impl Iterator<Item = (&'a str, &'a LiveSchema)> + '_ {
        let (spec, stack) = (self.spec, self.stack);
        self.live.schemas.iter().filter_map(move |s| {
            let key = avro::managed_schema_key(stack, &s.name)?;
            let wanted = spec.schemas.get(key).is_some_and(|r| r.name == s.name);
            (!wanted).then_some((key, s))
        })
    }

    pub(super) fn delete_stale_schemas(&mut self) {
        let stale: Vec<_> = self.stale_schemas().collect();
        for (key, schema) in stale {
            let address = Address::schema(key);
            let why = if self.spec.schemas.contains_key(key) {
                // Left over by an interrupted apply, say: the step must not be invisible.
                Reason::SchemaEarlierVersion {
                    schema: schema.name.clone(),
                }
            } else {
                Reason::SchemaNotInSpec {
                    schema: schema.name.clone(),
                }
            };
            match self.out.change_at(&address) {
                // Another old version of the same key: one change lists them all.
                Some(id) if self.out.get(id).action == Action::Delete => {
                    self.out.get_mut(id).reasons.push(why)
                }
                Some(_) => {} // a replace, which names the old version
                None => {
                    self.out.change(NewChange {
                        address: address.clone(),
                        action: Action::Delete,
                        reasons: vec![why],
                        destructive: false,
                        before: Some(live_schema_value(schema)),
                        after: None,
                        notes: Vec::new(),
                    });
                }
            }
            let after = self
                .schema_released_by
                .get(&schema.arn)
                .cloned()
                .unwrap_or_default();
            self.out.step(
                &address,
                Op::DeleteSchema {
                    arn: schema.arn.clone(),
                },
                after,
            );
        }
    }

    /// The ARN of the spec's schema `key`: live, or created by this plan.
    pub(super) fn schema_ref(&self, key: &str) -> Option<ArnRef> {
        let name = &self.spec.schemas.get(key)?.name;
        if let Some(s) = self.live.schema_by_name(name) {
            return Some(ArnRef::Known(s.arn.clone()));
        }
        self.schema_steps.get(name).map(|id| ArnRef::CreatedBy(*id))
    }

    /// Records that after `step` no dataset of this plan uses `schema_arn`.
    pub(super) fn release_schema(&mut self, schema_arn: &str, step: StepId) {
        self.schema_released_by
            .entry(schema_arn.to_string())
            .or_default()
            .push(step);
    }
}
