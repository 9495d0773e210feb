//! Reading what lives in a group besides datasets: every child kind with
//! its tags (campaigns per solution), and what only each kind's Describe
//! tells (a filter's expression, a tracker's trackingId, the serving
//! kinds' settings, a solution's latest ACTIVE version).

use std::collections::HashMap;
use std::future::Future;

use super::super::actions::SolutionVersion;
use super::super::config;
use super::super::error::{found, LiveError};
use super::super::request::Personalize;
use super::{bounded, secs, tags, PAGE};
use crate::resource::{Kind, RecommenderState, Status};
use crate::rules::filter::MAX_FILTERS_PER_GROUP;
use crate::rules::serving_limits::MAX_RECOMMENDERS_PER_GROUP;
use crate::state::*;

/// A child as its List summary tells it (every summary has name, ARN, status).
macro_rules! child {
    ($summary:expr, $kind:expr, $arn:ident) => {{
        let c = $summary;
        LiveChild {
            kind: $kind,
            name: c.name().unwrap_or_default().to_string(),
            arn: c.$arn().unwrap_or_default().to_string(),
            status: Status::parse(c.status().unwrap_or_default()),
            tags: None,
            last_updated: secs(c.last_updated_date_time()),
            solution: None,
            details: None,
        }
    }};
}

/// Every child of a List request, as `LiveChild`ren of `$kind`.
macro_rules! children {
    ($client:expr, $op:literal, $resource:expr, |$c:ident| $request:expr, $kind:expr, $arn:ident) => {
        async {
            let items = list_all!($client, $op, $resource, |$c| $request).await?;
            Ok::<_, LiveError>(
                items
                    .iter()
                    .map(|c| child!(c, $kind, $arn))
                    .collect::<Vec<_>>(),
            )
        }
    };
}

/// Filters and recommenders of the whole account, by group ARN, untagged.
/// Their List summaries name their group (botocore's FilterSummary and
/// RecommenderSummary), so one paginated list without `datasetGroupArn`
/// serves every group where a list per group costs a call each.
#[derive(Debug, Default)]
pub(in crate::live) struct AccountWide {
    by_group: HashMap<String, Vec<LiveChild>>,
}

impl AccountWide {
    /// Whether listing the account beats a list per group for `detailed`
    /// of the account's `groups`: the account's pages are at most its
    /// groups × each kind's quota per group ÷ a page (limits.html), however
    /// many there are.
    pub(in crate::live) fn cheaper(detailed: usize, groups: usize) -> bool {
        let pages = |per_group: usize| (groups * per_group).div_ceil(PAGE as usize).max(1);
        pages(MAX_FILTERS_PER_GROUP) + pages(MAX_RECOMMENDERS_PER_GROUP) < 2 * detailed
    }

    pub(in crate::live) async fn list(client: &Personalize) -> Result<AccountWide, LiveError> {
        let (filters, recommenders) = tokio::try_join!(
            list_all!(client, "ListFilters", "", |c| c.list_filters()),
            list_all!(client, "ListRecommenders", "", |c| c.list_recommenders()),
        )?;
        let mut by_group: HashMap<String, Vec<LiveChild>> = HashMap::new();
        let filters = filters
            .iter()
            .map(|f| (f.dataset_group_arn(), child!(f, Kind::Filter, filter_arn)));
        let recommenders = recommenders.iter().map(|r| {
            let c = child!(r, Kind::Recommender, recommender_arn);
            (r.dataset_group_arn(), c)
        });
        for (group, c) in filters.chain(recommenders) {
            let group = group.unwrap_or_default().to_string();
            by_group.entry(group).or_default().push(c);
        }
        Ok(AccountWide { by_group })
    }

    fn of(&self, group_arn: &str, kind: Kind) -> Vec<LiveChild> {
        let of_group = self.by_group.get(group_arn).into_iter().flatten();
        of_group.filter(|c| c.kind == kind).cloned().collect()
    }
}

/// Everything inside the group besides datasets (every kind pzr manages),
/// with their tags (whose they are decides what the plan may do with
/// them; a kind that cannot be tagged takes `owner`, the group's ownership
/// tag), sorted. Campaigns are listed per solution; filters and
/// recommenders taken from `account` when it was listed.
pub(in crate::live) async fn list_managed_children(
    client: &Personalize,
    group_arn: &str,
    owner: &Tags,
    account: Option<&AccountWide>,
) -> Result<Vec<LiveChild>, LiveError> {
    let listed = |kind: Kind| account.map(|a| a.of(group_arn, kind));
    let (trackers, solutions, filters, recommenders, attributions) = tokio::try_join!(
        children!(
            client,
            "ListEventTrackers",
            group_arn,
            |c| c.list_event_trackers().dataset_group_arn(group_arn),
            Kind::EventTracker,
            event_tracker_arn
        ),
        children!(
            client,
            "ListSolutions",
            group_arn,
            |c| c.list_solutions().dataset_group_arn(group_arn),
            Kind::Solution,
            solution_arn
        ),
        or_list(
            listed(Kind::Filter),
            children!(
                client,
                "ListFilters",
                group_arn,
                |c| c.list_filters().dataset_group_arn(group_arn),
                Kind::Filter,
                filter_arn
            )
        ),
        or_list(
            listed(Kind::Recommender),
            children!(
                client,
                "ListRecommenders",
                group_arn,
                |c| c.list_recommenders().dataset_group_arn(group_arn),
                Kind::Recommender,
                recommender_arn
            )
        ),
        children!(
            client,
            "ListMetricAttributions",
            group_arn,
            |c| c.list_metric_attributions().dataset_group_arn(group_arn),
            Kind::MetricAttribution,
            metric_attribution_arn
        ),
    )?;
    let campaigns = bounded(
        solutions.iter().map(|s| s.arn.clone()),
        |solution| async move {
            let arn = solution.as_str();
            let campaigns = children!(
                client,
                "ListCampaigns",
                arn,
                |c| c.list_campaigns().solution_arn(arn),
                Kind::Campaign,
                campaign_arn
            )
            .await?;
            Ok(campaigns
                .into_iter()
                .map(|c| LiveChild {
                    solution: Some(solution.clone()),
                    ..c
                })
                .collect::<Vec<_>>())
        },
    )
    .await?
    .into_iter()
    .flatten();
    let all = [trackers, filters, recommenders, solutions].concat();
    let mut children: Vec<LiveChild> =
        bounded(all.into_iter().chain(campaigns), |mut c| async move {
            c.tags = tags(client, &c.arn).await?;
            Ok(c)
        })
        .await?
        .into_iter()
        // Deleted while we read.
        .filter(|c| c.tags.is_some())
        .chain(attributions.into_iter().map(|c| LiveChild {
            tags: Some(owner.clone()),
            ..c
        }))
        .collect();
    children.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    Ok(children)
}

/// `listed` when the account's list gave it, else what `list` reads (a
/// future does nothing until awaited).
async fn or_list(
    listed: Option<Vec<LiveChild>>,
    list: impl Future<Output = Result<Vec<LiveChild>, LiveError>>,
) -> Result<Vec<LiveChild>, LiveError> {
    match listed {
        Some(children) => Ok(children),
        None => list.await,
    }
}

/// The versions of a solution; none when the solution is gone.
pub(in crate::live) async fn solution_versions(
    client: &Personalize,
    solution_arn: &str,
) -> Result<Vec<SolutionVersion>, LiveError> {
    let versions = list_all!(client, "ListSolutionVersions", solution_arn, |c| c
        .list_solution_versions()
        .solution_arn(solution_arn))
    .await;
    Ok(found(versions)?
        .unwrap_or_default()
        .into_iter()
        .map(|v| SolutionVersion {
            arn: v.solution_version_arn().unwrap_or_default().to_string(),
            status: Status::parse(v.status().unwrap_or_default()),
            created: secs(v.creation_date_time()).unwrap_or_default(),
            failure_reason: v.failure_reason().map(str::to_string),
        })
        .collect())
}

/// A latest update's status while it runs (Describe shows the previous
/// settings until then).
fn running_update(status: Option<&str>) -> Option<Status> {
    Some(Status::parse(status?)).filter(Status::is_settling)
}

/// The newest version, when its training failed: a paid training the plan
/// does not start again for nothing.
fn failed_training(versions: &[SolutionVersion]) -> Option<FailedTraining> {
    let newest = versions
        .iter()
        .max_by(|a, b| a.created.total_cmp(&b.created))?;
    (newest.status == Status::CreateFailed).then(|| FailedTraining {
        version: newest.arn.clone(),
        failure_reason: newest.failure_reason.clone(),
        at: newest.created,
    })
}

/// The newest ACTIVE version, which a new campaign deploys.
fn latest_active(versions: &[SolutionVersion]) -> Option<&SolutionVersion> {
    versions
        .iter()
        .filter(|v| v.status == Status::Active)
        .max_by(|a, b| a.created.total_cmp(&b.created))
}

/// What Describe tells of a child beyond its summary; `None` when it is gone.
pub(in crate::live) async fn child_details(
    client: &Personalize,
    arn: &str,
) -> Result<Option<ChildDetails>, LiveError> {
    let Some(kind) = Kind::of_arn(arn) else {
        return Ok(None);
    };
    let details = match kind {
        Kind::EventTracker => {
            let out = client
                .send("DescribeEventTracker", arn, |c| {
                    c.describe_event_tracker().event_tracker_arn(arn).send()
                })
                .await;
            found(out)?.and_then(|o| {
                let t = o.event_tracker()?;
                Some(ChildDetails {
                    tracking_id: t.tracking_id().map(str::to_string),
                    ..ChildDetails::default()
                })
            })
        }
        Kind::Filter => {
            let out = client
                .send("DescribeFilter", arn, |c| {
                    c.describe_filter().filter_arn(arn).send()
                })
                .await;
            found(out)?.and_then(|o| {
                let f = o.filter()?;
                Some(ChildDetails {
                    filter_expression: f.filter_expression().map(str::to_string),
                    failure_reason: f.failure_reason().map(str::to_string),
                    ..ChildDetails::default()
                })
            })
        }
        Kind::Recommender => {
            let out = client
                .send("DescribeRecommender", arn, |c| {
                    c.describe_recommender().recommender_arn(arn).send()
                })
                .await;
            found(out)?.and_then(|o| {
                let r = o.recommender()?;
                let status = Status::parse(r.status().unwrap_or_default());
                let stopped = matches!(
                    status,
                    Status::Inactive | Status::StopPending | Status::StopInProgress
                );
                Some(ChildDetails {
                    failure_reason: r.failure_reason().map(str::to_string),
                    served: Some(ChildConfig::Recommender {
                        recipe_arn: r.recipe_arn().unwrap_or_default().to_string(),
                        recommender_config: r
                            .recommender_config()
                            .map(config::recommender_map)
                            .unwrap_or_default(),
                        state: if stopped {
                            RecommenderState::Stopped
                        } else {
                            RecommenderState::Running
                        },
                    }),
                    updating: running_update(
                        r.latest_recommender_update().and_then(|u| u.status()),
                    ),
                    ..ChildDetails::default()
                })
            })
        }
        Kind::Solution => {
            let (out, versions) = tokio::join!(
                async {
                    client
                        .send("DescribeSolution", arn, |c| {
                            c.describe_solution().solution_arn(arn).send()
                        })
                        .await
                },
                solution_versions(client, arn)
            );
            let versions = versions?;
            found(out)?.and_then(|o| {
                let s = o.solution()?;
                let (config, schedule) = s
                    .solution_config()
                    .map(config::solution_map)
                    .unwrap_or_default();
                let automatic = s.perform_auto_training().unwrap_or(true);
                Some(ChildDetails {
                    served: Some(ChildConfig::Solution {
                        recipe_arn: s.recipe_arn().unwrap_or_default().to_string(),
                        event_type: s.event_type().map(str::to_string),
                        perform_hpo: s.perform_hpo(),
                        solution_config: config,
                        perform_auto_training: automatic,
                        scheduling_expression: automatic
                            .then(|| schedule.unwrap_or_else(|| DEFAULT_SCHEDULE.to_string())),
                    }),
                    training: versions.iter().any(|v| v.status.is_settling()),
                    active_version: latest_active(&versions).map(|v| v.arn.clone()),
                    active_version_trained: latest_active(&versions).map(|v| v.created),
                    failed_training: failed_training(&versions),
                    updating: running_update(s.latest_solution_update().and_then(|u| u.status())),
                    ..ChildDetails::default()
                })
            })
        }
        Kind::Campaign => {
            let out = client
                .send("DescribeCampaign", arn, |c| {
                    c.describe_campaign().campaign_arn(arn).send()
                })
                .await;
            found(out)?.and_then(|o| {
                let c = o.campaign()?;
                Some(ChildDetails {
                    failure_reason: c.failure_reason().map(str::to_string),
                    served: Some(ChildConfig::Campaign {
                        min_provisioned_tps: c.min_provisioned_tps().unwrap_or(1).max(1) as u32,
                        campaign_config: c
                            .campaign_config()
                            .map(config::campaign_map)
                            .unwrap_or_default(),
                    }),
                    updating: running_update(c.latest_campaign_update().and_then(|u| u.status())),
                    deployed_version: c.solution_version_arn().map(str::to_string),
                    ..ChildDetails::default()
                })
            })
        }
        Kind::MetricAttribution => super::super::metric_attribution::details(client, arn).await?,
        Kind::Schema | Kind::DatasetGroup | Kind::Dataset | Kind::DatasetImportJob => None,
    };
    Ok(details)
}

/// The campaign named `name` in the region, with its tags.
pub(in crate::live) async fn find_campaign(
    client: &Personalize,
    name: &str,
) -> Result<Option<LiveChild>, LiveError> {
    let all = children!(
        client,
        "ListCampaigns",
        "",
        |c| c.list_campaigns(),
        Kind::Campaign,
        campaign_arn
    )
    .await?;
    let Some(mut c) = all.into_iter().find(|c| c.name == name) else {
        return Ok(None);
    };
    c.tags = tags(client, &c.arn).await?;
    Ok(Some(c).filter(|c| c.tags.is_some()))
}

#[cfg(test)]
mod tests {
    use super::AccountWide;

    #[test]
    fn the_account_is_listed_once_only_where_that_costs_fewer_calls() {
        // detailed groups, groups in the account, listed account-wide
        // Quotas: 30 filters and 5 recommenders a group, so an account
        // of n groups is at most 0.3·n + 0.05·n pages.
        let cases = [
            (1, 1, false),  // 1 + 1 pages against 2 calls
            (2, 2, true),   // 1 + 1 against 4
            (1, 50, false), // 15 + 3 against 2
            (10, 50, true), // 18 against 20
            (30, 30, true), // 9 + 2 against 60
            (100, 5000, false),
            (5000, 5000, true),
        ];
        for (detailed, groups, want) in cases {
            assert_eq!(
                AccountWide::cheaper(detailed, groups),
                want,
                "{detailed} of {groups}"
            );
        }
    }
}
