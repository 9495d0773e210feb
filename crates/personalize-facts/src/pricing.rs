//! Amazon Personalize's published prices, per Region, as data: what pzr's
//! plans estimate a change's cost with. Each row keeps the words its number
//! was read from, where they were read and on which day, so a reviewer can
//! check a figure against its source and a test keeps the number and the
//! words in step. A Region or an item without a row has no price pzr knows:
//! it gets no figure, never a guess.
//!
//! Recommenders have no row: the page does not price them by the request
//! rate (`minRecommendationRequestsPerSecond`) a spec gives, so no figure
//! for them can be made from one.

/// The page that publishes Personalize's prices.
pub const PRICING_PAGE: &str = "https://aws.amazon.com/personalize/pricing/";

/// Hours in a month, as AWS's pricing examples and calculator count them
/// (365 × 24 / 12): a monthly figure is an hourly one times this.
pub const HOURS_PER_MONTH: f64 = 730.0;

/// What a price is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// One transaction per second provisioned for a campaign for an hour
    /// (a campaign is billed for at least its `minProvisionedTPS`), at the
    /// first tier: an account past 20,000 TPS-hours in a month pays less.
    TpsHour,
    /// One training hour (4 vCPUs and 8 GiB for an hour).
    TrainingHour,
}

/// One published price.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Price {
    pub region: &'static str,
    pub item: Item,
    /// US dollars per `item`.
    pub usd: f64,
    /// The words the number was read from.
    pub quoted: &'static str,
    /// Where those words were read.
    pub read_in: &'static str,
    /// The day they were read (ISO 8601).
    pub read_on: &'static str,
}

/// Where the rows below were read. The reference store this was written
/// from holds the pricing page only as the opening of its German copy,
/// without its tables; the rates are quoted from public notes restating the
/// page's us-east-1 table (two independent ones agree on each number).
const RESTATED: &str =
    "a restatement of the pricing page's us-east-1 rates (public notes on Personalize costs)";

/// Every price pzr knows; see the module's comment for what has none.
pub const PRICES: &[Price] = &[
    Price {
        region: "us-east-1",
        item: Item::TpsHour,
        usd: 0.20,
        quoted: "0 to 20,000 TPS-hours/month: $0.20 per TPS-hour",
        read_in: RESTATED,
        read_on: "2026-12-08",
    },
    Price {
        region: "us-east-1",
        item: Item::TrainingHour,
        usd: 0.24,
        quoted: "Model Training: $0.24 per training hour",
        read_in: RESTATED,
        read_on: "2026-12-08",
    },
];

/// The published price of `item` in `region`, if pzr knows one.
pub fn price(region: &str, item: Item) -> Option<&'static Price> {
    PRICES.iter().find(|p| p.region == region && p.item == item)
}

/// Whether pzr knows any price in `region`.
pub fn publishes(region: &str) -> bool {
    PRICES.iter().any(|p| p.region == region)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dollar figure a quote states: the number after its last `$`.
    fn quoted_usd(quote: &str) -> f64 {
        let after = quote.rsplit('$').next().unwrap_or_default();
        let number: String = after
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        number.parse().unwrap_or(f64::NAN)
    }

    fn row(region: &str, item: Item) -> &'static Price {
        price(region, item).unwrap_or_else(|| panic!("no {item:?} price in {region}"))
    }

    #[test]
    fn us_east_1_tps_hour_is_as_quoted() {
        let p = row("us-east-1", Item::TpsHour);
        assert!(p.quoted.ends_with("per TPS-hour"), "{}", p.quoted);
        assert_eq!(quoted_usd(p.quoted), p.usd);
    }

    #[test]
    fn us_east_1_training_hour_is_as_quoted() {
        let p = row("us-east-1", Item::TrainingHour);
        assert!(p.quoted.ends_with("per training hour"), "{}", p.quoted);
        assert_eq!(quoted_usd(p.quoted), p.usd);
    }

    #[test]
    fn every_row_is_dated_and_alone() {
        for (i, p) in PRICES.iter().enumerate() {
            let date: Vec<&str> = p.read_on.split('-').collect();
            assert_eq!(date.iter().map(|d| d.len()).collect::<Vec<_>>(), [4, 2, 2]);
            let twin = PRICES[..i]
                .iter()
                .any(|q| q.region == p.region && q.item == p.item);
            assert!(!twin, "two rows for {} {:?}", p.region, p.item);
        }
    }

    #[test]
    fn a_region_without_rows_has_no_price() {
        assert!(!publishes("eu-west-1"));
        assert_eq!(price("eu-west-1", Item::TrainingHour), None);
        assert!(publishes("us-east-1"));
    }
}
