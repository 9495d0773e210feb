//! The emulator's S3 face through the real `aws-sdk-s3` client, path-style,
//! over HTTP: what pzr's S3 reads and `aws s3 cp` rely on.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_sdk_s3::primitives::ByteStream;
use personalize_emulator::{sdk_config, EmulatorConfig, RunningEmulator};

async fn start(dir: &std::path::Path) -> (RunningEmulator, aws_sdk_s3::Client) {
    let config = EmulatorConfig {
        buckets: BTreeMap::from([("data".to_string(), dir.to_path_buf())]),
        ..EmulatorConfig::default()
    };
    let emulator = RunningEmulator::start(config, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("emulator starts");
    let s3 = aws_sdk_s3::config::Builder::from(&sdk_config(&emulator.endpoint_url(), "us-east-1"))
        .force_path_style(true)
        .build();
    (emulator, aws_sdk_s3::Client::from_conf(s3))
}

#[tokio::test]
async fn put_list_get_and_head_objects() {
    let dir = tempfile::tempdir().unwrap();
    let (_emulator, s3) = start(dir.path()).await;
    for (key, body) in [
        ("retail/a.csv", "a,b\n1,2\n"),
        ("retail/b.csv", "b"),
        ("other.csv", "o"),
    ] {
        s3.put_object()
            .bucket("data")
            .key(key)
            .body(ByteStream::from_static(body.as_bytes()))
            .send()
            .await
            .unwrap_or_else(|e| panic!("put {key}: {e:?}"));
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("retail/a.csv")).unwrap(),
        "a,b\n1,2\n",
        "PutObject writes the file under the bucket's directory"
    );

    let listed = s3
        .list_objects_v2()
        .bucket("data")
        .prefix("retail/")
        .send()
        .await
        .unwrap();
    let keys: Vec<&str> = listed.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, ["retail/a.csv", "retail/b.csv"]);
    assert_eq!(listed.key_count(), Some(2));
    assert_eq!(listed.is_truncated(), Some(false));
    let first = &listed.contents()[0];
    assert_eq!(first.size(), Some(8));
    assert!(first.last_modified().is_some());
    let etag = first.e_tag().expect("an ETag").to_string();
    assert!(etag.starts_with('"') && etag.len() == 34, "{etag}");

    let paged = s3
        .list_objects_v2()
        .bucket("data")
        .max_keys(2)
        .send()
        .await
        .unwrap();
    assert_eq!(paged.is_truncated(), Some(true));
    let rest = s3
        .list_objects_v2()
        .bucket("data")
        .continuation_token(paged.next_continuation_token().expect("a token"))
        .send()
        .await
        .unwrap();
    let keys: Vec<&str> = rest.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, ["retail/b.csv"]);

    let got = s3
        .get_object()
        .bucket("data")
        .key("retail/a.csv")
        .send()
        .await
        .unwrap();
    assert_eq!(got.e_tag(), Some(etag.as_str()));
    let body = got.body.collect().await.unwrap().into_bytes();
    assert_eq!(&body[..], b"a,b\n1,2\n");

    let head = s3
        .head_object()
        .bucket("data")
        .key("retail/a.csv")
        .send()
        .await
        .unwrap();
    assert_eq!(head.content_length(), Some(8));
    assert_eq!(head.e_tag(), Some(etag.as_str()));
}

#[tokio::test]
async fn missing_keys_and_buckets_are_s3_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (_emulator, s3) = start(dir.path()).await;
    let err = s3
        .get_object()
        .bucket("data")
        .key("nothing.csv")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NoSuchKey"));
    let err = s3
        .head_object()
        .bucket("data")
        .key("nothing.csv")
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_not_found());
    let err = s3
        .list_objects_v2()
        .bucket("nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NoSuchBucket"));
    let err = s3
        .put_object()
        .bucket("data")
        .key("../escape.csv")
        .body(ByteStream::from_static(b"x"))
        .send()
        .await;
    assert!(err.is_err(), "a key never leaves the bucket");
    assert!(!dir.path().parent().unwrap().join("escape.csv").exists());
}
