//! List operations: pages in creation order, and page tokens.

use serde_json::{json, Map, Value};

use super::render::render;
use crate::emulator::clock::Millis;
use crate::emulator::error::{ApiError, ErrorCode};
use crate::emulator::model::{Model, Noun};
use crate::emulator::validate::present;

/// Page size when the request gives no `maxResults`.
const DEFAULT_PAGE_SIZE: usize = 100;

pub(super) fn list(
    model: &Model,
    now: Millis,
    kind: Noun,
    input: &Map<String, Value>,
) -> Result<Value, ApiError> {
    let after = match present(input, "nextToken").and_then(Value::as_str) {
        None => None,
        Some(token) => Some(decode_token(token).ok_or_else(|| {
            ApiError::new(ErrorCode::InvalidNextToken, "The nextToken is not valid")
        })?),
    };
    let page_size = page_size(input);
    let info = kind.info();
    let parent = info
        .list_parent_member
        .and_then(|p| present(input, p))
        .and_then(Value::as_str);
    let found = model.list(now, kind, parent, after);
    let page = &found[..found.len().min(page_size)];
    let items: Vec<Value> = page.iter().map(|r| render(model, now, r, true)).collect();
    let mut out = json!({ info.list_member: items });
    if found.len() > page.len() {
        if let (Some(last), Some(o)) = (page.last(), out.as_object_mut()) {
            o.insert("nextToken".into(), Value::from(encode_token(last.seq)));
        }
    }
    Ok(out)
}

/// `maxResults`, or the default page size.
pub(super) fn page_size(input: &Map<String, Value>) -> usize {
    present(input, "maxResults")
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(DEFAULT_PAGE_SIZE)
}

/// Page tokens name the last resource returned, so concurrent deletes never
/// shift a page.
pub(in crate::emulator) fn encode_token(seq: u64) -> String {
    hex::encode(format!("pzr1:{seq}"))
}

pub(in crate::emulator) fn decode_token(token: &str) -> Option<u64> {
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
