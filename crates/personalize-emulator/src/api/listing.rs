//! List operations: pages in creation order, and page tokens.

use serde_json::{Map, Value};

use super::render::render;
use crate::clock::Millis;
use crate::error::{ApiError, ErrorCode};
use crate::model::{Model, Noun};
use crate::request_shape::present;

/// Page size when the request gives no `maxResults`.
const DEFAULT_PAGE_SIZE: usize = 100;

pub(super) fn list(
    model: &Model,
    now: Millis,
    kind: Noun,
    input: &Map<String, Value>,
) -> Result<Value, ApiError> {
    let info = kind.info();
    let parent = info
        .list_parent_member
        .and_then(|p| present(input, p))
        .and_then(Value::as_str);
    let found = model
        .list(now, kind, parent, after(input)?)
        .map(|r| (r.seq, r));
    Ok(paged(input, found, info.list_member, |r| {
        render(model, now, r, true)
    }))
}

/// The position a List request's `nextToken` names: list after it.
pub(crate) fn after(input: &Map<String, Value>) -> Result<Option<u64>, ApiError> {
    present(input, "nextToken")
        .and_then(Value::as_str)
        .map(|token| {
            decode_token(token).ok_or_else(|| {
                ApiError::new(ErrorCode::InvalidNextToken, "The nextToken is not valid")
            })
        })
        .transpose()
}

/// A List response: the first page (`maxResults`) of `found`, items at
/// their positions in order, under `member`, and a `nextToken` naming the
/// page's last position when more follow.
pub(crate) fn paged<T>(
    input: &Map<String, Value>,
    found: impl IntoIterator<Item = (u64, T)>,
    member: &str,
    item: impl Fn(T) -> Value,
) -> Value {
    let mut found = found.into_iter();
    let page: Vec<(u64, T)> = found.by_ref().take(page_size(input)).collect();
    let more = found.next().is_some();
    let last = page.last().map(|(position, _)| *position);
    let items: Vec<Value> = page.into_iter().map(|(_, t)| item(t)).collect();
    let mut out = Map::new();
    out.insert(member.to_string(), Value::from(items));
    if let (true, Some(last)) = (more, last) {
        out.insert("nextToken".into(), Value::from(encode_token(last)));
    }
    Value::Object(out)
}

/// `maxResults`, or the default page size.
fn page_size(input: &Map<String, Value>) -> usize {
    present(input, "maxResults")
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(DEFAULT_PAGE_SIZE)
}

/// Page tokens name the last resource returned, so concurrent deletes never
/// shift a page.
pub(crate) fn encode_token(seq: u64) -> String {
    hex::encode(format!("pzr1:{seq}"))
}

pub(crate) fn decode_token(token: &str) -> Option<u64> {
    let bytes = hex::decode(token).ok()?;
    std::str::from_utf8(&bytes)
        .ok()?
        .strip_prefix("pzr1:")?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_tokens_round_trip_and_reject_garbage() {
        assert_eq!(decode_token(&encode_token(42)), Some(42));
        for bad in ["", "zz", "00", &hex::encode("pzr1:x")] {
            assert_eq!(decode_token(bad), None, "{bad}");
        }
    }
}
