//! Reading a `LiveState`: every call concurrent within a bound, every list
//! paginated, and no call the plan does not need.

use aws_smithy_types::DateTime;
use futures::{stream, StreamExt, TryStreamExt};

use super::error::{found, LiveError};
use super::request::Personalize;
use crate::resource::{ownership_tags, DatasetType, Domain, Status};
use crate::state::*;

/// Requests in flight at once while reading: enough to hide Personalize's
/// latency (tens of ms a call) for the largest accounts; a request-rate
/// limit is the pacer's to keep (`limits`), not this bound's.
const READ_CONCURRENCY: usize = 32;
pub(super) const PAGE: i32 = 100;

/// Every item of every page of the list request `$request` builds from the
/// SDK client `$c`: one request of `$client`'s (see `Personalize::send`).
macro_rules! list_all {
    ($client:expr, $op:literal, $resource:expr, |$c:ident| $request:expr) => {
        $client.send($op, $resource, |$c| {
            let pages = $request.max_results(PAGE).into_paginator();
            pages.items().send().try_collect()
        })
    };
}

mod child_reads;
mod imports;

use child_reads::AccountWide;
pub(super) use child_reads::{
    child_details, find_campaign, list_managed_children, solution_versions,
};
pub(super) use imports::import_job_names;

fn secs(t: Option<&DateTime>) -> Option<f64> {
    t.map(|t| t.as_secs_f64())
}

fn domain(d: Option<&aws_sdk_personalize::types::Domain>) -> Option<Domain> {
    d.and_then(|d| Domain::from_api(d.as_str()))
}

/// Runs `f` over `items` with bounded concurrency, keeping input order.
async fn bounded<I, T, F, Fut>(items: I, f: F) -> Result<Vec<T>, LiveError>
where
    I: IntoIterator,
    F: FnMut(I::Item) -> Fut,
    Fut: std::future::Future<Output = Result<T, LiveError>>,
{
    stream::iter(items)
        .map(f)
        .buffered(READ_CONCURRENCY)
        .try_collect()
        .await
}

/// Reads every dataset group with its tags, and every schema. Groups for
/// which `detailed` holds (given their tags) are also read in detail:
/// settings, datasets, children and their tags. Others only as far as
/// classifying them needs. Filters and recommenders are listed for the
/// whole account at once when that costs fewer calls (`AccountWide`).
pub async fn read(
    client: &Personalize,
    detailed: impl Fn(&LiveGroup) -> bool,
) -> Result<LiveState, LiveError> {
    let region = client.region();
    let (summaries, schemas) = tokio::try_join!(list_groups(client), list_schemas(client))?;
    let groups = bounded(summaries, |mut g| async move {
        g.tags = tags(client, &g.arn).await?.unwrap_or_default();
        Ok(g)
    })
    .await?;
    let wanted = groups.iter().filter(|g| detailed(g)).count();
    let account = if AccountWide::cheaper(wanted, groups.len()) {
        Some(AccountWide::list(client).await?)
    } else {
        None
    };
    let account = account.as_ref();
    let detailed = &detailed;
    let mut groups = bounded(groups, |mut g| async move {
        if detailed(&g) {
            read_group_details(client, &mut g, account).await?;
        }
        Ok(g)
    })
    .await?;
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(LiveState {
        region,
        groups,
        schemas,
        data_locations: Vec::new(),
    })
}

/// Completes `live` with `extra`.
pub async fn read_extra(
    client: &Personalize,
    live: &mut LiveState,
    extra: &ExtraReads,
) -> Result<(), LiveError> {
    // Every group's at once: a delete-all plan reads each group's billed
    // children.
    let mut children: Vec<&mut LiveChild> = live
        .groups
        .iter_mut()
        .flat_map(|g| g.children.iter_mut())
        .collect();
    fill(
        &mut children,
        |c| (c.details.is_none() && extra.child_details.contains(&c.arn)).then(|| c.arn.clone()),
        |arn| async move { child_details(client, &arn).await },
        |c, details| c.details = details,
    )
    .await?;
    fill(
        &mut live.schemas,
        |s| {
            (s.definition.is_none() && extra.schema_definitions.contains(&s.arn))
                .then(|| s.arn.clone())
        },
        |arn| async move { schema_definition(client, &arn).await },
        |s, definition| s.definition = definition,
    )
    .await?;
    let mut datasets: Vec<&mut LiveDataset> = live
        .groups
        .iter_mut()
        .flat_map(|g| g.datasets.iter_mut())
        .collect();
    fill(
        &mut datasets,
        |d| (d.imports.is_none() && extra.imports.contains(&d.arn)).then(|| d.arn.clone()),
        |arn| async move { imports::dataset_imports(client, &arn).await },
        |d, imports| d.imports = imports,
    )
    .await?;
    let unlisted = extra
        .data_locations
        .iter()
        .filter(|uri| live.data_location(uri).is_none());
    let listed = stream::iter(unlisted)
        .map(|uri| super::data::list_location(client.data(), uri))
        .buffered(READ_CONCURRENCY)
        .collect::<Vec<_>>()
        .await;
    live.data_locations.extend(listed);
    live.data_locations.sort_by(|a, b| a.uri.cmp(&b.uri));
    Ok(())
}

/// For each item `arn_of` selects, reads with `fetch` (bounded concurrency)
/// and stores the result with `set`.
async fn fill<T, V, F, Fut>(
    items: &mut [T],
    arn_of: impl Fn(&T) -> Option<String>,
    fetch: F,
    mut set: impl FnMut(&mut T, V),
) -> Result<(), LiveError>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Result<V, LiveError>>,
{
    let wanted: Vec<(usize, String)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, t)| Some((i, arn_of(t)?)))
        .collect();
    let fetch = &fetch;
    let read = bounded(wanted, |(i, arn)| async move { Ok((i, fetch(arn).await?)) }).await?;
    for (i, value) in read {
        set(&mut items[i], value);
    }
    Ok(())
}

pub(super) async fn list_groups(client: &Personalize) -> Result<Vec<LiveGroup>, LiveError> {
    let summaries = list_all!(client, "ListDatasetGroups", "", |c| c.list_dataset_groups()).await?;
    Ok(summaries
        .into_iter()
        .map(|g| LiveGroup {
            name: g.name().unwrap_or_default().to_string(),
            arn: g.dataset_group_arn().unwrap_or_default().to_string(),
            status: Status::parse(g.status().unwrap_or_default()),
            domain: domain(g.domain()),
            last_updated: secs(g.last_updated_date_time()),
            tags: Tags::new(),
            details: None,
            datasets: Vec::new(),
            children: Vec::new(),
        })
        .collect())
}

pub(super) async fn list_schemas(client: &Personalize) -> Result<Vec<LiveSchema>, LiveError> {
    let summaries = list_all!(client, "ListSchemas", "", |c| c.list_schemas()).await?;
    let mut schemas: Vec<LiveSchema> = summaries
        .into_iter()
        .map(|s| LiveSchema {
            name: s.name().unwrap_or_default().to_string(),
            arn: s.schema_arn().unwrap_or_default().to_string(),
            domain: domain(s.domain()),
            definition: None,
        })
        .collect();
    schemas.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(schemas)
}

/// Tags of a resource; `None` when it no longer exists.
pub async fn tags(client: &Personalize, arn: &str) -> Result<Option<Tags>, LiveError> {
    let out = client
        .send("ListTagsForResource", arn, |c| {
            c.list_tags_for_resource().resource_arn(arn).send()
        })
        .await;
    Ok(found(out)?.map(|o| {
        o.tags()
            .iter()
            .map(|t| (t.tag_key().to_string(), t.tag_value().to_string()))
            .collect()
    }))
}

async fn read_group_details(
    client: &Personalize,
    group: &mut LiveGroup,
    account: Option<&AccountWide>,
) -> Result<(), LiveError> {
    let owner = ownership_tags(&group.tags);
    let (details, summaries, children) = tokio::try_join!(
        describe_group(client, &group.arn),
        list_datasets(client, &group.arn),
        list_managed_children(client, &group.arn, &owner, account)
    )?;
    let Some(details) = details else {
        return Ok(()); // deleted while we read; the group summary says enough
    };
    group.details = Some(details.0);
    group.status = details.1;
    let mut datasets: Vec<LiveDataset> = bounded(summaries, |arn| async move {
        describe_dataset(client, &arn).await
    })
    .await?
    .into_iter()
    .flatten()
    .collect();
    datasets.sort_by_key(|d| d.dataset_type);
    group.datasets = datasets;
    group.children = children;
    Ok(())
}

/// The group's settings and current status; `None` when it is gone.
async fn describe_group(
    client: &Personalize,
    arn: &str,
) -> Result<Option<(GroupDetails, Status)>, LiveError> {
    let out = client
        .send("DescribeDatasetGroup", arn, |c| {
            c.describe_dataset_group().dataset_group_arn(arn).send()
        })
        .await;
    Ok(found(out)?.and_then(|o| {
        let g = o.dataset_group()?;
        let details = GroupDetails {
            kms_key_arn: g.kms_key_arn().map(str::to_string),
            role_arn: g.role_arn().map(str::to_string),
            failure_reason: g.failure_reason().map(str::to_string),
        };
        Some((details, Status::parse(g.status().unwrap_or_default())))
    }))
}

pub(super) async fn list_datasets(
    client: &Personalize,
    group_arn: &str,
) -> Result<Vec<String>, LiveError> {
    let summaries = list_all!(client, "ListDatasets", group_arn, |c| c
        .list_datasets()
        .dataset_group_arn(group_arn))
    .await?;
    Ok(summaries
        .iter()
        .filter_map(|d| d.dataset_arn().map(str::to_string))
        .collect())
}

/// A dataset with its tags; `None` when it is gone.
pub async fn describe_dataset(
    client: &Personalize,
    arn: &str,
) -> Result<Option<LiveDataset>, LiveError> {
    let (described, tags) = tokio::join!(
        async {
            client
                .send("DescribeDataset", arn, |c| {
                    c.describe_dataset().dataset_arn(arn).send()
                })
                .await
        },
        tags(client, arn)
    );
    let (Some(out), Some(tags)) = (found(described)?, tags?) else {
        return Ok(None);
    };
    let Some(d) = out.dataset() else {
        return Ok(None);
    };
    let Some(dataset_type) = d.dataset_type().and_then(DatasetType::from_api) else {
        return Ok(None); // a type pzr does not manage
    };
    Ok(Some(LiveDataset {
        name: d.name().unwrap_or_default().to_string(),
        arn: arn.to_string(),
        dataset_type,
        status: Status::parse(d.status().unwrap_or_default()),
        schema_arn: d.schema_arn().unwrap_or_default().to_string(),
        last_updated: secs(d.last_updated_date_time()),
        tags,
        imports: None,
    }))
}

async fn schema_definition(client: &Personalize, arn: &str) -> Result<Option<String>, LiveError> {
    let out = client
        .send("DescribeSchema", arn, |c| {
            c.describe_schema().schema_arn(arn).send()
        })
        .await;
    Ok(found(out)?.and_then(|o| {
        let text = o.schema()?.schema()?;
        // Compare on canonical JSON so formatting never makes a diff.
        Some(match serde_json::from_str::<serde_json::Value>(text) {
            Ok(v) => crate::avro::canonical_json(&v),
            Err(_) => text.to_string(),
        })
    }))
}
