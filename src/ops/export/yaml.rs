//! The text of an exported spec. serde_yaml writes YAML 1.2, where `no`,
//! `yes`, `on` and `off` are strings; YAML 1.1 readers (PyYAML, many CI
//! tools) read them as booleans, so such a string is written quoted and any
//! reader gets the value the account holds.

use crate::spec::SpecFile;

/// YAML text of an exported spec, with a header saying where it came from
/// and what an export cannot know.
pub fn to_yaml(spec: &SpecFile) -> Result<String, serde_yaml::Error> {
    let body = quote_yaml11_booleans(&serde_yaml::to_string(spec)?);
    Ok(format!(
        "# Exported by `pzr export`: review it, then `pzr plan -f` this file.\n\
         # Not exported, as only a spec holds them: `protect`, `ignoreTags`; add them back by hand.\n\
         {body}"
    ))
}

/// Plain scalars YAML 1.1 reads as booleans (its `bool` type) and YAML 1.2
/// as strings. (`true` and `false` in any case are booleans in both: a
/// plain one is a real boolean, and serde_yaml quotes such strings.)
const YAML11_BOOLEANS: [&str; 16] = [
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
    "OFF",
];

/// `text` (serde_yaml's block style) with every plain key or value YAML 1.1
/// would read as a boolean double-quoted: serde_yaml writes a real boolean
/// as `true`/`false`, so an unquoted `no` is always a string. Block scalars
/// (`|`) are left as they are.
fn quote_yaml11_booleans(text: &str) -> String {
    let quote = |s: &str| match YAML11_BOOLEANS.contains(&s) {
        true => format!("\"{s}\""),
        false => s.to_string(),
    };
    let mut out = String::with_capacity(text.len());
    // Indentation of the line that opened a block scalar being skipped.
    let mut block: Option<usize> = None;
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        match block {
            Some(opener) if indent > opener || line.trim().is_empty() => {
                out.push_str(line);
                out.push('\n');
                continue;
            }
            _ => block = None,
        }
        let (lead, rest) = line.split_at(indent);
        let (dash, rest) = match rest.strip_prefix("- ") {
            Some(rest) => ("- ", rest),
            None => ("", rest),
        };
        let rewritten = match rest.split_once(": ") {
            Some((key, value)) => format!("{}: {}", quote(key), quote(value)),
            None => match rest.strip_suffix(':') {
                Some(key) => format!("{}:", quote(key)),
                None => quote(rest),
            },
        };
        if rest.ends_with('|') || rest.ends_with("|-") || rest.ends_with('>') {
            block = Some(indent);
        }
        out.push_str(lead);
        out.push_str(dash);
        out.push_str(&rewritten);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_yaml_1_1_reads_as_booleans_are_quoted() {
        let text = "tags:\n  pii: no\n  on: x\n  team: growth\nlist:\n- yes\n- maybe\n";
        assert_eq!(
            quote_yaml11_booleans(text),
            "tags:\n  pii: \"no\"\n  \"on\": x\n  team: growth\nlist:\n- \"yes\"\n- maybe\n"
        );
    }

    #[test]
    fn block_scalars_are_left_as_they_are() {
        let text = "definition: |\n  no: yes\n  off\nafter: off\n";
        assert_eq!(
            quote_yaml11_booleans(text),
            "definition: |\n  no: yes\n  off\nafter: \"off\"\n"
        );
    }
}
