//! The serving side's rules: recipes for solutions and recommenders,
//! UpdateSolution, UpdateCampaign, UpdateRecommender, StopRecommender and
//! StartRecommender.

use serde_json::{Map, Value};

use super::create::syncs_with_latest;
use super::noun::Noun;
use super::record::{Resource, Update};
use super::Model;
use crate::clock::Millis;
use crate::error::ApiError;
use personalize_facts::resource::{Domain, Kind, Status};
use personalize_facts::rules::{recipes, serving_limits};

impl Model {
    /// The recipe a CreateSolution or CreateRecommender names. An ARN that
    /// names no recipe is ResourceNotFoundException, as for any resource that
    /// does not exist (both operations declare it); a recipe of the wrong
    /// sort is InvalidInputException: CreateSolution takes the custom recipes
    /// of "Choosing a recipe"
    /// (https://docs.aws.amazon.com/personalize/latest/dg/working-with-predefined-recipes.html),
    /// CreateRecommender a use case of its group's domain ("If you use the
    /// CreateRecommender API, provide the ARN listed here",
    /// https://docs.aws.amazon.com/personalize/latest/dg/ECOMMERCE-use-cases.html,
    /// https://docs.aws.amazon.com/personalize/latest/dg/VIDEO_ON_DEMAND-use-cases.html).
    /// A solution needs one unless it uses AutoML: "This is required when
    /// performAutoML is false"
    /// (https://docs.aws.amazon.com/personalize/latest/dg/API_CreateSolution.html).
    pub(super) fn check_recipe(
        kind: Kind,
        group_domain: Option<Domain>,
        attrs: &Map<String, Value>,
    ) -> Result<(), ApiError> {
        let Some(arn) = attrs.get("recipeArn").and_then(Value::as_str) else {
            let auto_ml = attrs.get("performAutoML") == Some(&Value::Bool(true));
            return match kind {
                Kind::Solution if !auto_ml => Err(ApiError::invalid_input(
                    "recipeArn is required when performAutoML is false",
                )),
                _ => Ok(()),
            };
        };
        let recipe = recipes::find(arn)
            .filter(|r| r.arn() == arn)
            .ok_or_else(|| ApiError::not_found(arn))?;
        match (kind, recipe.domain) {
            (Kind::Recommender, domain) if domain.is_none() || domain != group_domain => {
                Err(ApiError::invalid_input(format!(
                    "The recipe {arn} is not a use case of the dataset group's domain ({}); recommenders take one of: {}",
                    group_domain.map_or("none", Domain::as_api),
                    group_domain
                        .map(|d| recipes::use_cases(d).map(|r| r.name).collect::<Vec<_>>().join(", "))
                        .unwrap_or_default()
                )))
            }
            (Kind::Solution, Some(domain)) => Err(ApiError::invalid_input(format!(
                "The recipe {arn} is a {domain} use case, for recommenders; solutions take a custom recipe"
            ))),
            _ => Ok(()),
        }
    }

    /// UpdateSolution, UpdateCampaign, UpdateRecommender. Each needs an ACTIVE
    /// resource (UpdateCampaign's docs also allow CREATE FAILED: "the campaign
    /// status must be ACTIVE or CREATE FAILED",
    /// https://docs.aws.amazon.com/personalize/latest/dg/API_UpdateCampaign.html)
    /// whose previous update has settled (undocumented; a second update
    /// while one runs is refused as every other change to a settling
    /// resource is). The update runs over the create delay through `CREATE
    /// PENDING > CREATE IN_PROGRESS > ACTIVE`, the states SolutionUpdateSummary,
    /// CampaignUpdateSummary and RecommenderUpdateSummary document; the
    /// resource stays ACTIVE and keeps its previous configuration until then
    /// ("The recommender uses the previous configuration until the update
    /// completes", API_UpdateRecommender.html; "The campaign will use the
    /// previous solution version and campaign configuration [...] until the
    /// latest campaign update status is Active", API_UpdateCampaign.html).
    pub fn update_child(
        &mut self,
        now: Millis,
        kind: Kind,
        arn: &str,
        request: Map<String, Value>,
    ) -> Result<&Resource, ApiError> {
        let lc = self.lc();
        let resource = self.describe(now, kind, arn)?;
        let status = resource.status(now, lc);
        let ready = status == Some(Status::Active)
            || kind == Kind::Campaign && status == Some(Status::CreateFailed);
        if !ready || resource.is_updating(now, lc) {
            return Err(ApiError::in_use(format!(
                "The {} {arn} cannot be updated while its status is {}{}",
                kind.label(),
                status.as_ref().map_or("none", Status::as_str),
                if resource.is_updating(now, lc) {
                    " and its latest update is still running"
                } else {
                    ""
                }
            )));
        }
        let current = resource.current_attrs(now, lc);
        // Each update summary has a failureReason ("If a campaign update
        // fails, the reason behind the failure", API_CampaignUpdateSummary.html;
        // API_SolutionUpdateSummary.html, API_RecommenderUpdateSummary.html):
        // `--fail-update` makes one, and the resource keeps its settings.
        let failure_reason = self.doomed_update(
            &resource.name,
            format!("Update of {} {}", kind.label(), resource.name),
        );
        let (changes, summary) = match kind {
            Kind::Solution => solution_changes(&current, &request)?,
            Kind::Campaign => {
                let mut after = current.clone();
                after.extend(request.clone());
                let version = after.get("solutionVersionArn").and_then(Value::as_str);
                let sync = syncs_with_latest(&after);
                if request.contains_key("solutionVersionArn") || sync {
                    let solution =
                        self.deployable_version(now, version.unwrap_or_default(), sync)?;
                    // A campaign belongs to its solution (undocumented: a
                    // choice; a new solution means a new campaign).
                    if Some(solution.as_str()) != resource.parent.as_deref() {
                        return Err(ApiError::invalid_input(format!(
                            "The campaign {arn} serves solution {}; {solution} is another",
                            resource.parent.as_deref().unwrap_or("none")
                        )));
                    }
                }
                let changes = request;
                let mut summary = current.clone();
                summary.retain(|k, _| CAMPAIGN_SUMMARY.contains(&k.as_str()));
                summary.extend(changes.clone());
                (changes, summary)
            }
            _ => {
                let mut changes = request;
                with_defaults(Kind::Recommender, &mut changes);
                (changes.clone(), changes)
            }
        };
        let resource = self
            .account
            .resources
            .get_mut(arn)
            .ok_or_else(|| ApiError::not_found(arn))?;
        super::trainings_of_change(&mut self.trainings, resource);
        // The previous update has settled: its outcome becomes the resource's.
        resource.attrs = current;
        resource.update = Some(Update {
            schema_arn: None,
            changes,
            summary,
            started: now,
            failure_reason,
        });
        Ok(resource)
    }

    /// The solution a CreateCampaign or UpdateCampaign deploys a version of.
    /// `solutionVersionArn` names a version, or is "the ARN of your solution
    /// in SolutionArn/$LATEST format", which "You must use [...] if you set
    /// syncWithLatestSolutionVersion to True"
    /// (https://docs.aws.amazon.com/personalize/latest/dg/API_CreateCampaign.html,
    /// API_UpdateCampaign.html); the latest version must then be ACTIVE, as a
    /// named one must ("Wait until the status shows as ACTIVE before calling
    /// CreateCampaign", API_CreateSolutionVersion.html). The error for a
    /// version that is not is undocumented: one still being trained is
    /// ResourceInUseException (try again later), as for every parent that is
    /// not ACTIVE yet; one that failed or was stopped never will be, so
    /// InvalidInputException.
    pub(super) fn deployable_version(
        &self,
        now: Millis,
        version_arn: &str,
        sync: bool,
    ) -> Result<String, ApiError> {
        let lc = self.lc();
        let (version, solution_arn) = match version_arn.strip_suffix("/$LATEST") {
            Some(solution_arn) => {
                self.describe(now, Kind::Solution, solution_arn)?;
                // The pages do not say which version is "latest" while a
                // newer one trains: the latest ACTIVE one (a choice: the
                // one that can be deployed), else the latest, refused below.
                let latest = self.latest_active_version(now, solution_arn);
                let newest = || {
                    self.list(now, Noun::SolutionVersion, Some(solution_arn), None)
                        .next_back()
                };
                let latest = latest.or_else(newest).ok_or_else(|| {
                    ApiError::in_use(format!("The solution {solution_arn} has no version yet"))
                })?;
                (latest, solution_arn.to_string())
            }
            None if sync => {
                return Err(ApiError::invalid_input(format!(
                    "With syncWithLatestSolutionVersion true, solutionVersionArn must be the solution's ARN in SolutionArn/$LATEST format, not {version_arn}"
                )))
            }
            None => {
                let version = self.describe(now, Noun::SolutionVersion, version_arn)?;
                (version, version.parent.clone().unwrap_or_default())
            }
        };
        match version.status(now, lc) {
            Some(Status::Active) => Ok(solution_arn),
            Some(status) if status.is_settling() => Err(ApiError::in_use(format!(
                "The solution version {} is not ACTIVE yet (status: {status})",
                version.arn
            ))),
            status => Err(ApiError::invalid_input(format!(
                "The solution version {} cannot be deployed: its status is {}",
                version.arn,
                status.as_ref().map_or("none", Status::as_str)
            ))),
        }
    }

    /// The newest ACTIVE version of a solution at `now`.
    fn latest_active_version(&self, now: Millis, solution_arn: &str) -> Option<&Resource> {
        let lc = self.lc();
        self.list(now, Noun::SolutionVersion, Some(solution_arn), None)
            .rev()
            .find(|v| v.status(now, lc) == Some(Status::Active))
    }

    /// The solution version a campaign with `campaignConfig.syncWithLatestSolutionVersion`
    /// serves at `now`, which its Describe shows as `solutionVersionArn`
    /// ("the solution version the campaign uses", API_Campaign.html): "the
    /// campaign automatically updates to use the latest solution version"
    /// (https://docs.aws.amazon.com/personalize/latest/dg/API_CampaignConfig.html),
    /// manually or automatically trained, with no UpdateCampaign
    /// (https://docs.aws.amazon.com/personalize/latest/dg/update-campaigns.html).
    /// The pages give no delay: it follows as soon as a newer version is
    /// ACTIVE (a choice), and its `latestCampaignUpdate` is left as it was.
    /// `None` for a campaign that does not sync.
    pub fn synced_version(&self, now: Millis, campaign: &Resource) -> Option<String> {
        if campaign.kind != Kind::Campaign
            || !syncs_with_latest(&campaign.current_attrs(now, self.lc()))
        {
            return None;
        }
        let solution = campaign.parent.as_deref()?;
        Some(self.latest_active_version(now, solution)?.arn.clone())
    }

    /// StopRecommender ("Stops a recommender that is ACTIVE",
    /// https://docs.aws.amazon.com/personalize/latest/dg/API_StopRecommender.html)
    /// and StartRecommender ("Starts a recommender that is INACTIVE",
    /// https://docs.aws.amazon.com/personalize/latest/dg/API_StartRecommender.html);
    /// in any other state ResourceInUseException.
    pub fn stop_or_start_recommender(
        &mut self,
        now: Millis,
        arn: &str,
        start: bool,
    ) -> Result<(), ApiError> {
        let lc = self.lc();
        let recommender = self.describe(now, Kind::Recommender, arn)?;
        let status = recommender.status(now, lc);
        let needed = if start {
            Status::Inactive
        } else {
            Status::Active
        };
        if status.as_ref() != Some(&needed) {
            return Err(ApiError::in_use(format!(
                "The recommender {arn} can only be {} while {needed}; its status is {}",
                if start { "started" } else { "stopped" },
                status.as_ref().map_or("none", Status::as_str)
            )));
        }
        if let Some(r) = self.account.resources.get_mut(arn) {
            if start {
                r.restarted_since = Some(now);
            } else {
                r.stopped_since = Some(now);
                r.restarted_since = None;
            }
        }
        Ok(())
    }
}

/// The defaults the API documents for members a request may leave out,
/// which Describe then shows: a solution's `performAutoTraining` ("The
/// default is True", https://docs.aws.amazon.com/personalize/latest/dg/API_CreateSolution.html)
/// and a recommender's `minRecommendationRequestsPerSecond` ("We recommend
/// starting with 1 for minRecommendationRequestsPerSecond (the default)",
/// https://docs.aws.amazon.com/personalize/latest/dg/API_RecommenderConfig.html).
pub(super) fn with_defaults(kind: Kind, attrs: &mut Map<String, Value>) {
    match kind {
        Kind::Solution => {
            attrs
                .entry("performAutoTraining")
                .or_insert(Value::Bool(true));
        }
        Kind::Recommender => {
            let config = attrs
                .entry("recommenderConfig")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(config) = config.as_object_mut() {
                config
                    .entry("minRecommendationRequestsPerSecond")
                    .or_insert(Value::from(1));
            }
        }
        _ => {}
    }
}

/// What an update sets once it succeeds, and what its summary shows.
type ChangesAndSummary = (Map<String, Value>, Map<String, Value>);

/// The members a CampaignUpdateSummary shows besides status and times.
const CAMPAIGN_SUMMARY: [&str; 3] = ["solutionVersionArn", "minProvisionedTPS", "campaignConfig"];

/// What an UpdateSolution changes: `performAutoTraining`,
/// `performIncrementalUpdate`, and `solutionUpdateConfig.autoTrainingConfig`
/// in place of `solutionConfig.autoTrainingConfig` (the same member on
/// create, https://docs.aws.amazon.com/personalize/latest/dg/API_UpdateSolution.html).
/// Its summary is the request as sent (the SolutionUpdateSummary members).
fn solution_changes(
    current: &Map<String, Value>,
    request: &Map<String, Value>,
) -> Result<ChangesAndSummary, ApiError> {
    let mut changes = Map::new();
    for flag in ["performAutoTraining", "performIncrementalUpdate"] {
        if let Some(v) = request.get(flag) {
            changes.insert(flag.into(), v.clone());
        }
    }
    let update_config = request.get("solutionUpdateConfig");
    if let Some(auto) = update_config.and_then(|c| c.get("autoTrainingConfig")) {
        check_schedule(auto)?;
        let mut config = current
            .get("solutionConfig")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        config.insert("autoTrainingConfig".into(), auto.clone());
        changes.insert("solutionConfig".into(), Value::Object(config));
    }
    Ok((changes, request.clone()))
}

/// How often a solution's automatic training runs: its
/// `solutionConfig.autoTrainingConfig.schedulingExpression`, "The default
/// is every 7 days" (API_AutoTrainingConfig.html).
pub(super) fn training_period(attrs: &Map<String, Value>) -> Millis {
    const DAY_MS: Millis = 86_400_000;
    let days = attrs
        .get("solutionConfig")
        .and_then(|c| c.get("autoTrainingConfig"))
        .and_then(|a| a.get("schedulingExpression"))
        .and_then(Value::as_str)
        .and_then(serving_limits::schedule_days)
        .unwrap_or(7);
    Millis::from(days.max(1)) * DAY_MS
}

/// Checks an `autoTrainingConfig`'s `schedulingExpression`, if it has one:
/// the API model's pattern `rate\(\d+ days?\)` and "a frequency between 1
/// and 30 days" (https://docs.aws.amazon.com/personalize/latest/dg/API_AutoTrainingConfig.html).
pub(super) fn check_schedule(auto_training_config: &Value) -> Result<(), ApiError> {
    let Some(expression) = auto_training_config
        .get("schedulingExpression")
        .and_then(Value::as_str)
    else {
        return Ok(());
    };
    match serving_limits::check_schedule(expression) {
        None => Ok(()),
        Some(why) => Err(ApiError::invalid_input(format!(
            "Invalid schedulingExpression: {why}"
        ))),
    }
}
