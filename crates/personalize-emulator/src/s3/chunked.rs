//! The `aws-chunked` content encoding SDKs use to stream a PutObject body
//! with a signature per chunk or a trailing checksum
//! (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html):
//! `<hex size>[;chunk-signature=...]\r\n<data>\r\n` ... `0...\r\n[trailers]\r\n`.

/// Whether a request's body is `aws-chunked`.
pub fn is_chunked(content_encoding: Option<&str>, content_sha256: Option<&str>) -> bool {
    content_encoding.is_some_and(|e| e.split(',').any(|e| e.trim() == "aws-chunked"))
        || content_sha256.is_some_and(|s| s.starts_with("STREAMING-"))
}

/// The payload of an `aws-chunked` body; `None` if it is malformed.
pub fn decode(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let end = body.windows(2).position(|w| w == b"\r\n")?;
        let line = std::str::from_utf8(&body[..end]).ok()?;
        let size = usize::from_str_radix(line.split(';').next()?.trim(), 16).ok()?;
        body = &body[end + 2..];
        if size == 0 {
            // Trailers (checksums) follow; the payload is complete.
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size..)?.strip_prefix(b"\r\n")?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_signed_and_trailer_chunks() {
        let signed = b"5;chunk-signature=ab\r\nhello\r\n1;chunk-signature=cd\r\n!\r\n0;chunk-signature=ef\r\n\r\n";
        assert_eq!(decode(signed).as_deref(), Some(&b"hello!"[..]));
        let trailer = b"3\r\nabc\r\n0\r\nx-amz-checksum-crc32:AAAA\r\n\r\n";
        assert_eq!(decode(trailer).as_deref(), Some(&b"abc"[..]));
        assert_eq!(decode(b"5\r\nab"), None);
        assert!(is_chunked(Some("aws-chunked"), None));
        assert!(is_chunked(None, Some("STREAMING-UNSIGNED-PAYLOAD-TRAILER")));
        assert!(!is_chunked(Some("gzip"), Some("UNSIGNED-PAYLOAD")));
    }
}
