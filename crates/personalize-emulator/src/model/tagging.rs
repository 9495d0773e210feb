//! Personalize's tag rules: at most `MAX_TAGS` per resource, no `aws:` keys,
//! schemas and metric attributions untaggable, a tag on an existing key
//! replaces its value.

use super::record::{Resource, Tag};
use super::Model;
use crate::clock::Millis;
use crate::error::{ApiError, ErrorCode};
use personalize_facts::resource::MAX_TAGS;

impl Model {
    /// The live resource a tag operation names, if its kind can be tagged.
    fn taggable(&self, now: Millis, arn: &str) -> Result<&Resource, ApiError> {
        let resource = self.live_arn(now, arn)?;
        if !resource.kind.info().taggable {
            return Err(ApiError::invalid_input(format!(
                "{}s cannot be tagged: {arn}",
                resource.kind.info().api_noun
            )));
        }
        Ok(resource)
    }

    /// The resource a tag change names, once checked by `taggable`.
    fn taggable_mut(&mut self, now: Millis, arn: &str) -> Result<&mut Resource, ApiError> {
        self.taggable(now, arn)?;
        self.account
            .resources
            .get_mut(arn)
            .ok_or_else(|| ApiError::not_found(arn))
    }

    pub fn tag(&mut self, now: Millis, arn: &str, tags: Vec<Tag>) -> Result<(), ApiError> {
        check_new_tags(&tags)?;
        let resource = self.taggable_mut(now, arn)?;
        let mut merged = resource.tags.clone();
        merge_tags(&mut merged, tags);
        if merged.len() > MAX_TAGS {
            return Err(too_many_tags(merged.len()));
        }
        resource.tags = merged;
        Ok(())
    }

    pub fn untag(&mut self, now: Millis, arn: &str, keys: &[String]) -> Result<(), ApiError> {
        if keys.len() > MAX_TAGS {
            return Err(ApiError::new(
                ErrorCode::TooManyTagKeys,
                format!(
                    "At most {MAX_TAGS} tag keys can be removed at once; got {}",
                    keys.len()
                ),
            ));
        }
        let resource = self.taggable_mut(now, arn)?;
        resource.tags.retain(|t| !keys.contains(&t.key));
        Ok(())
    }

    pub fn tags(&self, now: Millis, arn: &str) -> Result<&[Tag], ApiError> {
        Ok(&self.taggable(now, arn)?.tags)
    }
}

/// Tag rules that do not depend on the resource: count and reserved prefix.
pub(super) fn check_new_tags(tags: &[Tag]) -> Result<(), ApiError> {
    if tags.len() > MAX_TAGS {
        return Err(too_many_tags(tags.len()));
    }
    match tags
        .iter()
        .find(|t| t.key.to_ascii_lowercase().starts_with("aws:"))
    {
        Some(t) => Err(ApiError::invalid_input(format!(
            "Tag keys starting with aws: are reserved: {}",
            t.key
        ))),
        None => Ok(()),
    }
}

fn too_many_tags(count: usize) -> ApiError {
    ApiError::new(
        ErrorCode::TooManyTags,
        format!("A resource can have at most {MAX_TAGS} tags; this request would give it {count}"),
    )
}

/// Adds `new` to `tags`; a key already present takes the new value.
pub(super) fn merge_tags(tags: &mut Vec<Tag>, new: Vec<Tag>) {
    for tag in new {
        match tags.iter_mut().find(|t| t.key == tag.key) {
            Some(existing) => existing.value = tag.value,
            None => tags.push(tag),
        }
    }
}
