//! An S3 object's body as a blocking `Read`, for the checker (synchronous,
//! on a blocking thread): a task receives the body's chunks as they arrive
//! and hands them over a bounded channel, so download and checking overlap
//! and memory holds a few chunks, never the object.

use std::io::{self, Read};

use aws_sdk_s3::primitives::ByteStream;
use bytes::{Buf, Bytes};
use tokio::sync::mpsc;

/// Chunks in flight between the download and the checker.
const CHUNKS_IN_FLIGHT: usize = 16;

/// Reads what the download task sends; ends when the body does.
pub struct BodyReader {
    chunks: mpsc::Receiver<io::Result<Bytes>>,
    current: Bytes,
}

impl BodyReader {
    /// Starts downloading `body` (named `uri` in errors) on the runtime.
    pub fn spawn(uri: String, mut body: ByteStream) -> BodyReader {
        let (tx, chunks) = mpsc::channel(CHUNKS_IN_FLIGHT);
        tokio::spawn(async move {
            while let Some(chunk) = body.next().await {
                let chunk = chunk
                    .map_err(|e| io::Error::other(format!("reading {uri} from S3 failed: {e}")));
                let failed = chunk.is_err();
                // The checker stopped reading (a header it cannot use).
                if tx.send(chunk).await.is_err() || failed {
                    break;
                }
            }
        });
        BodyReader {
            chunks,
            current: Bytes::new(),
        }
    }
}

impl Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            match self.chunks.blocking_recv() {
                Some(chunk) => self.current = chunk?,
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        self.current.advance(n);
        Ok(n)
    }
}
