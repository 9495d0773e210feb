//! Recommenders, solutions and campaigns offline: each rule family refused
//! with its message, field path, line and column, and a full serving stack
//! that loads. Specs extend `tests/fixtures/spec/valid.yaml`: its ECOMMERCE
//! group `shop-main` and its custom group `shop-offers`.

use pzr::spec::{load_str, Diagnostic, RecommenderState, Spec};

use crate::support::files::{spec_fixtures, valid_spec_text};

/// The last line of `shop-main` (ECOMMERCE) in the fixture.
const MAIN_END: &str = "      users: {schema: users}\n";

/// The fixture with `main` appended to `shop-main` and `offers` to
/// `shop-offers` (the last group).
fn spec(main: &str, offers: &str) -> String {
    let text = valid_spec_text();
    assert_eq!(text.matches(MAIN_END).count(), 1);
    format!(
        "{}{offers}",
        text.replace(MAIN_END, &format!("{MAIN_END}{main}"))
    )
}

pub(crate) fn load(text: &str) -> Result<Spec, Vec<Diagnostic>> {
    load_str(text, &spec_fixtures().join("spec.yaml")).map_err(|e| e.diagnostics)
}

pub(crate) fn diagnostics(text: &str) -> Vec<Diagnostic> {
    match load(text) {
        Ok(_) => panic!("expected findings for\n{text}"),
        Err(all) => all,
    }
}

/// 1-based line and column of the first `needle` after the first `after`.
pub(crate) fn position_after(text: &str, after: &str, needle: &str) -> (usize, usize) {
    let start = text.find(after).expect("anchor in the spec");
    let offset = start
        + text[start..]
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in the spec"));
    let before = &text[..offset];
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count();
    (before.matches('\n').count() + 1, column + 1)
}

pub(crate) fn position(text: &str, needle: &str) -> (usize, usize) {
    position_after(text, "", needle)
}

/// The one finding on `path`: at `at` (line, column), its message
/// containing `message`, its hint containing `hint`.
pub(crate) fn assert_finding(
    all: &[Diagnostic],
    path: &str,
    at: (usize, usize),
    message: &str,
    hint: &str,
) {
    let on_path: Vec<&Diagnostic> = all.iter().filter(|d| d.path == path).collect();
    assert_eq!(on_path.len(), 1, "one finding on {path}: {all:#?}");
    let d = on_path[0];
    assert_eq!((d.line, d.column), at, "{d}");
    assert!(d.file.ends_with("spec.yaml"), "{}", d.file);
    assert!(d.message.contains(message), "{message:?} not in {d}");
    let found = d.hint.as_deref().unwrap_or_default();
    assert!(found.contains(hint), "{hint:?} not in {d}");
}

const FULL_MAIN: &str = r#"    recommenders:
      popular: {recipe: aws-ecomm-popular-items-by-views}
      for-you:
        recipe: arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you
        name: shop-for-you
        minRecommendationRequestsPerSecond: 2
        itemExploration: {explorationWeight: "0.3", explorationItemAgeCutOff: "30"}
        enableMetadataWithRecommendations: true
        trainingDataConfig: {excludedDatasetColumns: {Items: [PRICE]}}
        state: stopped
        tags: {team: growth}
    solutions:
      ranking:
        recipe: aws-personalized-ranking-v2
        training: {automatic: false}
"#;

const FULL_OFFERS: &str = r#"    solutions:
      personal:
        recipe: arn:aws:personalize:::recipe/aws-user-personalization-v2
        eventType: click
        performHPO: false
        training: {automatic: true, schedule: "rate(7 days)"}
        config:
          eventValueThreshold: "0.5"
          algorithmHyperParameters: {hidden_dimension: "64"}
          featureTransformationParameters: {max_user_history_length_percentile: "0.99"}
          eventsConfig:
            eventParametersList:
              - {eventType: click, eventValueThreshold: 0.1, weight: 0.3}
              - {eventType: purchase, weight: 1}
          optimizationObjective: {itemAttribute: PRICE, objectiveSensitivity: LOW}
          trainingDataConfig: {includedDatasetColumns: {Items: [PRICE, GENRE]}}
        tags: {team: growth}
        campaigns:
          main: {minProvisionedTPS: 1, syncWithLatestSolutionVersion: true}
          explore:
            name: offers-explore
            itemExploration: {explorationWeight: "1", explorationItemAgeCutOff: "2.5"}
            enableMetadataWithRecommendations: false
      similar:
        recipe: aws-sims
        training: {automatic: true}
"#;

#[test]
fn a_full_serving_stack_loads() {
    let spec = load(&spec(FULL_MAIN, FULL_OFFERS)).unwrap_or_else(|all| panic!("{all:#?}"));
    let main = &spec.file.dataset_groups[0];
    assert_eq!(main.recommenders.len(), 2);
    assert_eq!(
        main.recommenders["for-you"].state,
        RecommenderState::Stopped
    );
    assert_eq!(
        main.recommenders["popular"].state,
        RecommenderState::Running
    );
    let offers = &spec.file.dataset_groups[1];
    let personal = &offers.solutions["personal"];
    assert_eq!(personal.training.schedule.as_deref(), Some("rate(7 days)"));
    assert_eq!(personal.config.len(), 6);
    assert_eq!(personal.campaigns.len(), 2);
    assert_eq!(personal.campaigns["main"].min_provisioned_tps, Some(1));
    let similar = &offers.solutions["similar"].training;
    assert!(similar.automatic && similar.schedule.is_none());
}

#[test]
fn recommenders_take_use_cases_of_their_groups_domain() {
    let text = spec(
        concat!(
            "    recommenders:\n",
            "      typo: {recipe: aws-ecomm-popular-items-by-veiws}\n",
            "      video: {recipe: aws-vod-top-picks}\n",
            "      custom: {recipe: arn:aws:personalize:::recipe/aws-sims}\n",
            "      by-arn: {recipe: arn:aws:personalize:::recipe/aws-ecomm-frequently-bought-together}\n",
        ),
        "    recommenders:\n      top: {recipe: aws-vod-top-picks}\n",
    );
    let all = diagnostics(&text);
    assert_eq!(all.len(), 4, "{all:#?}");
    let main = "datasetGroups[0].recommenders";
    assert_finding(
        &all,
        &format!("{main}.typo.recipe"),
        position(&text, "aws-ecomm-popular-items-by-veiws"),
        "unknown recipe `aws-ecomm-popular-items-by-veiws`",
        "did you mean `aws-ecomm-popular-items-by-views`?",
    );
    assert_finding(
        &all,
        &format!("{main}.video.recipe"),
        position(&text, "aws-vod-top-picks"),
        "`aws-vod-top-picks` is a use case of VIDEO_ON_DEMAND, and this group's domain is ECOMMERCE",
        "ECOMMERCE-use-cases.html",
    );
    assert_finding(
        &all,
        &format!("{main}.custom.recipe"),
        position(&text, "arn:aws:personalize:::recipe/aws-sims"),
        "is a custom recipe, and a recommender takes a use case",
        "declare a solution with a campaign",
    );
    // The custom group: the finding is on the `recommenders:` key.
    let d = all
        .iter()
        .find(|d| d.path == "datasetGroups[1].recommenders")
        .expect("custom group finding");
    assert_eq!(
        (d.line, d.column),
        position_after(&text, "name: shop-offers", "recommenders:"),
        "{d}"
    );
    assert!(d.message.contains("`shop-offers` is a custom group"), "{d}");
    assert!(d
        .hint
        .as_deref()
        .unwrap()
        .contains("give the group a `domain`"));
}

#[test]
fn a_misspelt_domain_is_the_only_finding_about_its_recommenders() {
    let text = spec(
        "    recommenders:\n      top: {recipe: aws-ecomm-recommended-for-you}\n",
        "",
    )
    .replace("domain: ECOMMERCE\n", "domain: ECOMERCE\n");
    let all = diagnostics(&text);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_finding(
        &all,
        "datasetGroups[0].domain",
        position(&text, "ECOMERCE"),
        "`ECOMERCE` is not an allowed value",
        "did you mean `ECOMMERCE`?",
    );
}

#[test]
fn solutions_take_custom_recipes() {
    let text = spec(
        "",
        concat!(
            "    solutions:\n",
            "      usecase: {recipe: aws-ecomm-recommended-for-you, training: {automatic: false}}\n",
            "      typo: {recipe: aws-user-personalisation-v2, training: {automatic: false}}\n",
            "      longer: {recipe: 'arn:aws:personalize:::recipe/aws-sims/x', training: {automatic: false}}\n",
        ),
    );
    let all = diagnostics(&text);
    assert_eq!(all.len(), 3, "{all:#?}");
    let at = "datasetGroups[1].solutions";
    assert_finding(
        &all,
        &format!("{at}.usecase.recipe"),
        position(&text, "aws-ecomm-recommended-for-you"),
        "`aws-ecomm-recommended-for-you` is a use case of ECOMMERCE, and a solution takes a custom recipe",
        "declare a recommender",
    );
    assert_finding(
        &all,
        &format!("{at}.typo.recipe"),
        position(&text, "aws-user-personalisation-v2"),
        "unknown recipe",
        "did you mean `aws-user-personalization-v2`?",
    );
    assert_finding(
        &all,
        &format!("{at}.longer.recipe"),
        position(&text, "'arn:aws:personalize:::recipe/aws-sims/x'"),
        "unknown recipe `arn:aws:personalize:::recipe/aws-sims/x`",
        "working-with-predefined-recipes.html",
    );
}

#[test]
fn a_solution_without_training_says_it_costs_money_and_what_to_write() {
    let text = spec(
        "",
        "    solutions:\n      personal:\n        recipe: aws-user-personalization-v2\n",
    );
    let all = diagnostics(&text);
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = &all[0];
    assert_eq!(d.path, "datasetGroups[1].solutions.personal");
    assert_eq!(
        (d.line, d.column),
        position(&text, "recipe: aws-user"),
        "{d}"
    );
    assert_eq!(d.message, "missing required key `training`");
    let hint = d.hint.as_deref().unwrap();
    assert!(hint.contains("costs money"), "{hint}");
    assert!(hint.contains("`training: {automatic: false}`"), "{hint}");
    assert!(
        hint.contains(r#"`training: {automatic: true, schedule: "rate(7 days)"}`"#),
        "{hint}"
    );
}

#[test]
fn training_schedules_are_rates_of_1_to_30_days_and_need_automatic_training() {
    let text = spec(
        "",
        concat!(
            "    solutions:\n",
            "      off: {recipe: aws-sims, training: {automatic: false, schedule: \"rate(7 days)\"}}\n",
            "      long: {recipe: aws-sims, training: {automatic: true, schedule: \"rate(45 days)\"}}\n",
            "      cron: {recipe: aws-sims, training: {automatic: true, schedule: weekly}}\n",
        ),
    );
    let all = diagnostics(&text);
    assert_eq!(all.len(), 3, "{all:#?}");
    let at = "datasetGroups[1].solutions";
    assert_finding(
        &all,
        &format!("{at}.off.training.schedule"),
        position(&text, "\"rate(7 days)\""),
        "a schedule with `automatic: false` would be ignored",
        "remove `schedule`, or set `automatic: true`",
    );
    assert_finding(
        &all,
        &format!("{at}.long.training.schedule"),
        position(&text, "\"rate(45 days)\""),
        "retrains every 45 days, but the API allows 1 to 30 days",
        "API_AutoTrainingConfig.html",
    );
    assert_finding(
        &all,
        &format!("{at}.cron.training.schedule"),
        position(&text, "weekly"),
        "`weekly` is not of the form `rate(N days)`",
        "e.g. `rate(7 days)`",
    );
}

#[test]
fn config_members_and_their_value_shapes_follow_the_api_model() {
    let text = spec(
        "    recommenders:\n      popular:\n        recipe: aws-ecomm-popular-items-by-views\n        trainingDataConfig: {excludedDatasetColumns: {Items: [9PRICE]}}\n",
        concat!(
            "    solutions:\n",
            "      personal:\n",
            "        recipe: aws-user-personalization-v2\n",
            "        training: {automatic: false}\n",
            "        config:\n",
            "          eventValueTreshold: \"0.5\"\n",
            "          autoTrainingConfig: {schedulingExpression: \"rate(7 days)\"}\n",
            "          hpoConfig: {hpoObjective: {type: Maximize}}\n",
            "          algorithmHyperParameters: {hidden_dimension: 64}\n",
            "          eventsConfig:\n",
            "            eventParametersList:\n",
            "              - {eventType: click, weight: 1.5}\n",
            "          optimizationObjective: {itemAttribute: PRICE, objectiveSensitivity: HI}\n",
            "          featureTransformationParameters: [a]\n",
        ),
    );
    let all = diagnostics(&text);
    assert_eq!(all.len(), 8, "{all:#?}");
    let at = "datasetGroups[1].solutions.personal.config";
    assert_finding(
        &all,
        &format!("{at}.eventValueTreshold"),
        position(&text, "eventValueTreshold"),
        "unknown solutionConfig member `eventValueTreshold`",
        "did you mean `eventValueThreshold`?",
    );
    assert_finding(
        &all,
        &format!("{at}.autoTrainingConfig"),
        position(&text, "autoTrainingConfig"),
        "`autoTrainingConfig` is written as `training.schedule` in a pzr spec",
        "training: {automatic: true, schedule:",
    );
    assert_finding(
        &all,
        &format!("{at}.hpoConfig"),
        position(&text, "hpoConfig"),
        "`hpoConfig` is not supported by pzr yet",
        "algorithmHyperParameters",
    );
    assert_finding(
        &all,
        &format!("{at}.algorithmHyperParameters.hidden_dimension"),
        position_after(&text, "hidden_dimension: ", "64"),
        "expected a string, found the number 64",
        "quote it, \"64\"",
    );
    assert_finding(
        &all,
        &format!("{at}.eventsConfig.eventParametersList[0].weight"),
        position_after(&text, "weight: ", "1.5"),
        "1.5 is out of range",
        "from 0 to 1",
    );
    assert_finding(
        &all,
        &format!("{at}.optimizationObjective.objectiveSensitivity"),
        position(&text, "HI}"),
        "`HI` is not an allowed value",
        "did you mean `HIGH`?",
    );
    assert_finding(
        &all,
        &format!("{at}.featureTransformationParameters"),
        position(&text, "[a]"),
        "expected a mapping, found a list",
        "API_SolutionConfig.html",
    );
    assert_finding(
        &all,
        "datasetGroups[0].recommenders.popular.trainingDataConfig.excludedDatasetColumns.Items[0]",
        position(&text, "9PRICE"),
        "`9PRICE` does not match the API's pattern",
        "starting with a letter",
    );
}

#[test]
fn capacity_is_at_least_one_and_item_exploration_takes_two_bounded_keys() {
    let text = spec(
        concat!(
            "    recommenders:\n",
            "      for-you:\n",
            "        recipe: aws-ecomm-recommended-for-you\n",
            "        minRecommendationRequestsPerSecond: 0\n",
            "        itemExploration: {explorationWeight: \"1.5\", explorationWieght: \"3\"}\n",
        ),
        concat!(
            "    solutions:\n",
            "      personal:\n",
            "        recipe: aws-user-personalization-v2\n",
            "        training: {automatic: false}\n",
            "        campaigns:\n",
            "          main: {minProvisionedTPS: 0, itemExploration: {explorationItemAgeCutOff: \"-2\"}}\n",
        ),
    );
    let all = diagnostics(&text);
    assert_eq!(all.len(), 5, "{all:#?}");
    let rec = "datasetGroups[0].recommenders.for-you";
    assert_finding(
        &all,
        &format!("{rec}.minRecommendationRequestsPerSecond"),
        position_after(&text, "PerSecond: ", "0"),
        "the minimum is 1",
        "API_RecommenderConfig.html",
    );
    assert_finding(
        &all,
        &format!("{rec}.itemExploration.explorationWeight"),
        position(&text, "\"1.5\""),
        "explorationWeight `1.5` is not a decimal number from 0 to 1",
        "create-recommender-configure-exploration.html",
    );
    assert_finding(
        &all,
        &format!("{rec}.itemExploration.explorationWieght"),
        position(&text, "explorationWieght"),
        "unknown item exploration key `explorationWieght`",
        "did you mean `explorationWeight`?",
    );
    let campaign = "datasetGroups[1].solutions.personal.campaigns.main";
    assert_finding(
        &all,
        &format!("{campaign}.minProvisionedTPS"),
        position(&text, "0, item"),
        "the minimum is 1",
        "API_CreateCampaign.html",
    );
    assert_finding(
        &all,
        &format!("{campaign}.itemExploration.explorationItemAgeCutOff"),
        position(&text, "\"-2\""),
        "explorationItemAgeCutOff `-2` is not a positive number of days",
        "a number of days",
    );
}

#[test]
fn keys_names_and_quotas_of_serving_children() {
    let long = "c".repeat(50);
    let mut offers = format!(
        concat!(
            "    solutions:\n",
            "      bad.key: {{recipe: aws-sims, training: {{automatic: false}}}}\n",
            "      personal:\n",
            "        recipe: aws-sims\n",
            "        name: shared\n",
            "        training: {{automatic: false}}\n",
            "        campaigns:\n",
            "          {long}: {{}}\n",
        ),
        long = long
    );
    for i in 0..5 {
        offers.push_str(&format!("          c{i}: {{}}\n"));
    }
    let mut main = String::from("    solutions:\n      other: {recipe: aws-sims, name: shared, training: {automatic: false}}\n    recommenders:\n");
    for i in 0..6 {
        main.push_str(&format!(
            "      r{i}: {{recipe: aws-ecomm-popular-items-by-views}}\n"
        ));
    }
    let text = spec(&main, &offers);
    let all = diagnostics(&text);
    assert_eq!(all.len(), 5, "{all:#?}");
    assert_finding(
        &all,
        "datasetGroups[0].recommenders",
        position(&text, "recommenders:"),
        "6 recommenders, but a dataset group holds at most 5",
        "limits.html",
    );
    assert_finding(
        &all,
        "datasetGroups[1].solutions",
        position_after(&text, "name: shop-offers", "solutions:"),
        "the group's solutions have 6 campaigns, but a dataset group holds at most 5",
        "limits.html",
    );
    assert_finding(
        &all,
        "datasetGroups[1].solutions[\"bad.key\"]",
        position(&text, "bad.key"),
        "invalid solution key `bad.key`",
        "the key makes the default name",
    );
    assert_finding(
        &all,
        "datasetGroups[1].solutions.personal.name",
        position_after(&text, "personal:", "shared"),
        "solution name `shared` is also used by datasetGroups[0].solutions.other",
        "give this one its own `name:`",
    );
    // shop-offers-personal-<50 c> is 71 characters.
    assert_finding(
        &all,
        &format!("datasetGroups[1].solutions.personal.campaigns.{long}"),
        position(&text, &long),
        &format!(
            "default campaign name `shop-offers-personal-{long}` is longer than 63 characters"
        ),
        "set `name:` on this campaign",
    );
}
