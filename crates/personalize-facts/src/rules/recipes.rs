//! The recipes Personalize provides, as data: the custom recipes of
//! "Choosing a recipe"
//! (https://docs.aws.amazon.com/personalize/latest/dg/working-with-predefined-recipes.html,
//! each with the recipe type its table gives) and the use cases of the two
//! domains, which CreateRecommender takes as its `recipeArn`
//! (https://docs.aws.amazon.com/personalize/latest/dg/ECOMMERCE-use-cases.html,
//! https://docs.aws.amazon.com/personalize/latest/dg/VIDEO_ON_DEMAND-use-cases.html:
//! "If you use the CreateRecommender API, provide the ARN listed here for the
//! recipe ARN"). Every recipe's ARN is `arn:aws:personalize:::recipe/<name>`.
//! Each use case carries the data its section of that page requires
//! (`Datasets used when training`, `Required event types`).

use crate::resource::{DatasetType, Domain};

/// The prefix of every recipe ARN (the pages above give them in full).
pub const ARN_PREFIX: &str = "arn:aws:personalize:::recipe/";

/// One recipe or domain use case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recipe {
    /// The name in its ARN, e.g. `aws-user-personalization-v2`.
    pub name: &'static str,
    /// The recipe type "Choosing a recipe" gives a custom recipe
    /// (USER_PERSONALIZATION, PERSONALIZED_RANKING, POPULAR_ITEMS,
    /// RELATED_ITEMS, PERSONALIZED_ACTIONS, USER_SEGMENTATION); the use-case
    /// pages give none for use cases.
    pub recipe_type: Option<&'static str>,
    /// The domain of a use case; `None` for a custom recipe.
    pub domain: Option<Domain>,
    /// What a use case trains on, from its section of the use-case page;
    /// `None` for a custom recipe.
    pub needs: Option<DataNeeds>,
}

/// The data a use case's page requires before its recommender can train.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataNeeds {
    /// The datasets marked required ("Datasets used when training").
    pub datasets: &'static [DatasetType],
    /// The event type of which the page asks at least
    /// `MIN_USE_CASE_EVENTS` interactions (`View` for "Most viewed");
    /// `None` where any event type counts.
    pub event_type: Option<&'static str>,
    /// The page section that states it.
    pub source: &'static str,
}

/// "At minimum, 1000 ... events", in every use case's section.
pub const MIN_USE_CASE_EVENTS: u32 = 1000;

const INTERACTIONS: &[DatasetType] = &[DatasetType::Interactions];
const INTERACTIONS_AND_ITEMS: &[DatasetType] = &[DatasetType::Interactions, DatasetType::Items];

const fn custom(name: &'static str, recipe_type: &'static str) -> Recipe {
    Recipe {
        name,
        recipe_type: Some(recipe_type),
        domain: None,
        needs: None,
    }
}

const fn use_case(name: &'static str, domain: Domain, needs: DataNeeds) -> Recipe {
    Recipe {
        name,
        recipe_type: None,
        domain: Some(domain),
        needs: Some(needs),
    }
}

/// `datasets` and, if the page names one, the event type, as stated at `source`.
const fn needs(
    datasets: &'static [DatasetType],
    event_type: Option<&'static str>,
    source: &'static str,
) -> DataNeeds {
    DataNeeds {
        datasets,
        event_type,
        source,
    }
}

/// Every recipe, custom ones first, in the order of their pages.
pub const RECIPES: [Recipe; 25] = [
    // working-with-predefined-recipes.html, "Amazon Personalize recipes".
    custom("aws-user-personalization-v2", "USER_PERSONALIZATION"),
    custom("aws-user-personalization", "USER_PERSONALIZATION"),
    custom("aws-trending-now", "POPULAR_ITEMS"),
    custom("aws-popularity-count", "POPULAR_ITEMS"),
    custom("aws-personalized-ranking-v2", "PERSONALIZED_RANKING"),
    custom("aws-personalized-ranking", "PERSONALIZED_RANKING"),
    custom("aws-semantic-similarity", "RELATED_ITEMS"),
    custom("aws-similar-items", "RELATED_ITEMS"),
    custom("aws-sims", "RELATED_ITEMS"),
    custom("aws-next-best-action", "PERSONALIZED_ACTIONS"),
    custom("aws-item-affinity", "USER_SEGMENTATION"),
    custom("aws-item-attribute-affinity", "USER_SEGMENTATION"),
    // The legacy HRNN recipes (native-recipe-hrnn.html and its siblings):
    // no longer offered for new solutions in the console, still listed by
    // ListRecipes and accepted by CreateSolution.
    custom("aws-hrnn", "USER_PERSONALIZATION"),
    custom("aws-hrnn-metadata", "USER_PERSONALIZATION"),
    custom("aws-hrnn-coldstart", "USER_PERSONALIZATION"),
    // ECOMMERCE-use-cases.html: every use case trains on Item interactions
    // only; each section names its anchor.
    use_case(
        "aws-ecomm-popular-items-by-views",
        Domain::Ecommerce,
        needs(
            INTERACTIONS,
            Some("View"),
            "https://docs.aws.amazon.com/personalize/latest/dg/ECOMMERCE-use-cases.html#most-viewed-use-case",
        ),
    ),
    use_case(
        "aws-ecomm-popular-items-by-purchases",
        Domain::Ecommerce,
        needs(
            INTERACTIONS,
            Some("Purchase"),
            "https://docs.aws.amazon.com/personalize/latest/dg/ECOMMERCE-use-cases.html#best-sellers-use-case",
        ),
    ),
    use_case(
        "aws-ecomm-frequently-bought-together",
        Domain::Ecommerce,
        needs(
            INTERACTIONS,
            Some("Purchase"),
            "https://docs.aws.amazon.com/personalize/latest/dg/ECOMMERCE-use-cases.html#frequently-bought-together-use-case",
        ),
    ),
    use_case(
        "aws-ecomm-customers-who-viewed-x-also-viewed",
        Domain::Ecommerce,
        needs(
            INTERACTIONS,
            Some("View"),
            "https://docs.aws.amazon.com/personalize/latest/dg/ECOMMERCE-use-cases.html#customers-also-viewed-use-case",
        ),
    ),
    // "Required number of events: At minimum, 1000 events" (View and
    // Purchase only recommended).
    use_case(
        "aws-ecomm-recommended-for-you",
        Domain::Ecommerce,
        needs(
            INTERACTIONS,
            None,
            "https://docs.aws.amazon.com/personalize/latest/dg/ECOMMERCE-use-cases.html#recommended-for-you-use-case",
        ),
    ),
    // VIDEO_ON_DEMAND-use-cases.html
    use_case(
        "aws-vod-because-you-watched-x",
        Domain::VideoOnDemand,
        needs(
            INTERACTIONS,
            Some("Watch"),
            "https://docs.aws.amazon.com/personalize/latest/dg/VIDEO_ON_DEMAND-use-cases.html#because-you-watched-use-case",
        ),
    ),
    // "Interactions (required), Items (required)"; "1000 events of any type".
    use_case(
        "aws-vod-more-like-x",
        Domain::VideoOnDemand,
        needs(
            INTERACTIONS_AND_ITEMS,
            None,
            "https://docs.aws.amazon.com/personalize/latest/dg/VIDEO_ON_DEMAND-use-cases.html#more-like-y-use-case",
        ),
    ),
    use_case(
        "aws-vod-most-popular",
        Domain::VideoOnDemand,
        needs(
            INTERACTIONS,
            Some("Watch"),
            "https://docs.aws.amazon.com/personalize/latest/dg/VIDEO_ON_DEMAND-use-cases.html#hot-picks-use-case",
        ),
    ),
    use_case(
        "aws-vod-trending-now",
        Domain::VideoOnDemand,
        needs(
            INTERACTIONS,
            None,
            "https://docs.aws.amazon.com/personalize/latest/dg/VIDEO_ON_DEMAND-use-cases.html#trending-now-use-case",
        ),
    ),
    // "Interactions and Items"; "1000 events" (Click and Watch recommended).
    use_case(
        "aws-vod-top-picks",
        Domain::VideoOnDemand,
        needs(
            INTERACTIONS_AND_ITEMS,
            None,
            "https://docs.aws.amazon.com/personalize/latest/dg/VIDEO_ON_DEMAND-use-cases.html#top-picks-use-case",
        ),
    ),
];

impl Recipe {
    pub fn arn(&self) -> String {
        format!("{ARN_PREFIX}{}", self.name)
    }

    /// Whether it is a use case of a domain (a recommender's recipe).
    pub fn is_use_case(&self) -> bool {
        self.domain.is_some()
    }
}

/// The recipe with this ARN, or with this name (a spec may give either).
pub fn find(arn_or_name: &str) -> Option<&'static Recipe> {
    let name = arn_or_name.strip_prefix(ARN_PREFIX).unwrap_or(arn_or_name);
    RECIPES.iter().find(|r| r.name == name)
}

/// The use cases of `domain`, in the order of its page.
pub fn use_cases(domain: Domain) -> impl Iterator<Item = &'static Recipe> {
    RECIPES.iter().filter(move |r| r.domain == Some(domain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipes_are_found_by_arn_or_name_and_use_cases_by_domain() {
        let v2 = find("arn:aws:personalize:::recipe/aws-user-personalization-v2").unwrap();
        assert_eq!(v2.recipe_type, Some("USER_PERSONALIZATION"));
        assert_eq!(
            find("aws-sims").unwrap().arn(),
            format!("{ARN_PREFIX}aws-sims")
        );
        assert_eq!(find("arn:aws:personalize:::recipe/aws-nope"), None);
        assert_eq!(use_cases(Domain::Ecommerce).count(), 5);
        assert!(use_cases(Domain::VideoOnDemand).all(|r| r.name.starts_with("aws-vod-")));
        let mut names: Vec<_> = RECIPES.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RECIPES.len(), "names are unique");
    }

    #[test]
    fn use_cases_and_only_they_carry_their_pages_data_needs() {
        for recipe in &RECIPES {
            let Some(needs) = recipe.needs else {
                assert!(!recipe.is_use_case(), "{} has no needs", recipe.name);
                continue;
            };
            let page = match recipe.domain {
                Some(Domain::Ecommerce) => "ECOMMERCE-use-cases.html#",
                Some(Domain::VideoOnDemand) => "VIDEO_ON_DEMAND-use-cases.html#",
                None => panic!("{} is custom but has needs", recipe.name),
            };
            assert!(needs.source.contains(page), "{}", recipe.name);
            // "You must at minimum create an Item interactions dataset."
            assert_eq!(needs.datasets[0], DatasetType::Interactions);
        }
        let needs = |name| find(name).and_then(|r| r.needs).unwrap();
        assert_eq!(
            needs("aws-ecomm-popular-items-by-views").event_type,
            Some("View")
        );
        assert_eq!(
            needs("aws-vod-more-like-x").datasets,
            [DatasetType::Interactions, DatasetType::Items]
        );
        assert_eq!(needs("aws-vod-trending-now").event_type, None);
    }
}
