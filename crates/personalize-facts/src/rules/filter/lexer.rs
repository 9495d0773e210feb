//! Splits a filter expression into tokens, each with its character offset.

use super::{source, FilterError};

/// Longest parameter name: a key of GetRecommendations' `filterValues`
/// ("Key Length Constraints: Maximum length of 50. Key Pattern:
/// [A-Za-z0-9_]+", https://docs.aws.amazon.com/personalize/latest/dg/API_RS_GetRecommendations.html);
/// a name no request can give a value is a mistake.
pub const MAX_PARAMETER_CHARS: usize = 50;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A keyword, target, dataset or field name.
    Word(String),
    /// `$NAME`, without the `$`.
    Param(String),
    /// A double-quoted string, without the quotes.
    Str(String),
    Number(String),
    Dot,
    Comma,
    Open,
    Close,
    Pipe,
    Star,
    Op(&'static str),
    End,
}

impl Tok {
    /// How the token reads in a message.
    pub fn describe(&self) -> String {
        match self {
            Tok::Word(w) => format!("`{w}`"),
            Tok::Param(p) => format!("`${p}`"),
            Tok::Str(s) => format!("the string \"{s}\""),
            Tok::Number(n) => format!("the number {n}"),
            Tok::Dot => "`.`".into(),
            Tok::Comma => "`,`".into(),
            Tok::Open => "`(`".into(),
            Tok::Close => "`)`".into(),
            Tok::Pipe => "`|`".into(),
            Tok::Star => "`*`".into(),
            Tok::Op(op) => format!("`{op}`"),
            Tok::End => "the end of the expression".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    /// 0-based character offset in the expression.
    pub at: usize,
}

fn word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The tokens of `text`, ending with `Tok::End`.
pub fn lex(text: &str) -> Result<Vec<Token>, FilterError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let take = |i: &mut usize, pred: &dyn Fn(char) -> bool| {
            let from = *i;
            while *i < chars.len() && pred(chars[*i]) {
                *i += 1;
            }
            chars[from..*i].iter().collect::<String>()
        };
        let tok = match c {
            _ if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => single(&mut i, Tok::Open),
            ')' => single(&mut i, Tok::Close),
            ',' => single(&mut i, Tok::Comma),
            '.' => single(&mut i, Tok::Dot),
            '|' => single(&mut i, Tok::Pipe),
            '*' => single(&mut i, Tok::Star),
            '=' => single(&mut i, Tok::Op("=")),
            '<' | '>' | '!' => {
                let eq = chars.get(i + 1) == Some(&'=');
                i += 1 + usize::from(eq);
                match (c, eq) {
                    ('<', false) => Tok::Op("<"),
                    ('<', true) => Tok::Op("<="),
                    ('>', false) => Tok::Op(">"),
                    ('>', true) => Tok::Op(">="),
                    ('!', true) => Tok::Op("!="),
                    _ => {
                        return Err(FilterError::new(
                            start,
                            "unexpected `!`",
                            "write `!=`, or `NOT IN (...)` for strings",
                            source::ELEMENTS,
                        ))
                    }
                }
            }
            '"' => {
                i += 1;
                let body = take(&mut i, &|c| c != '"');
                if i == chars.len() {
                    return Err(FilterError::new(
                        start,
                        "this string has no closing `\"`",
                        "close the string with a double quote",
                        source::ELEMENTS,
                    ));
                }
                i += 1;
                Tok::Str(body)
            }
            '\'' => {
                return Err(FilterError::new(
                    start,
                    "strings in filter expressions are written in double quotes",
                    "write \"value\" instead of 'value'",
                    source::ELEMENTS,
                ))
            }
            '$' => {
                i += 1;
                let name = take(&mut i, &word_char);
                if name.is_empty() || name.chars().count() > MAX_PARAMETER_CHARS {
                    return Err(FilterError::new(
                        start,
                        "invalid placeholder parameter",
                        format!("write `$` and a name of 1-{MAX_PARAMETER_CHARS} letters, digits and `_`, such as `$GENRES`"),
                        source::RUNTIME_FILTER_VALUES,
                    ));
                }
                Tok::Param(name)
            }
            _ if c.is_ascii_digit() || c == '-' => {
                i += 1;
                take(&mut i, &|c| c.is_ascii_alphanumeric() || c == '.');
                let number: String = chars[start..i].iter().collect();
                if number.parse::<f64>().is_err() {
                    return Err(FilterError::new(
                        start,
                        format!("`{number}` is not a number"),
                        "write a number such as 18 or 9.99",
                        source::ELEMENTS,
                    ));
                }
                Tok::Number(number)
            }
            _ if word_char(c) => Tok::Word(take(&mut i, &word_char)),
            _ => {
                return Err(FilterError::new(
                    start,
                    format!("unexpected character `{c}`"),
                    "a filter expression holds keywords, Dataset.FIELD names, operators, \"strings\", numbers and $PARAMETERS",
                    source::ELEMENTS,
                ))
            }
        };
        tokens.push(Token { tok, at: start });
    }
    tokens.push(Token {
        tok: Tok::End,
        at: chars.len(),
    });
    Ok(tokens)
}

fn single(i: &mut usize, tok: Tok) -> Tok {
    *i += 1;
    tok
}
