"""boto3 against `pzr emulator`: the data rules of dataset import jobs and
of training on imported data, each refusal or failure with its exact text.

Usage: python3 boto3_imports.py ENDPOINT_URL BUCKET_DIR
The emulator runs as for boto3_emulator.py (whose helpers this imports):
--manual-clock --create-delay 150ms --delete-delay 100ms --training-delay
300ms --bucket data=BUCKET_DIR. Exits non-zero (with a traceback) on any
mismatch; prints "boto3 ok" on success.

The texts are those of "Common error messages in Amazon Personalize"
(https://docs.aws.amazon.com/personalize/latest/dg/error-messages.html)
where AWS documents one, else the emulator's own (its source says which).
"""
import os
import sys

from boto3_emulator import advance_clock, expect_error, personalize_client, record

ROLE = "arn:aws:iam::111122223333:role/PersonalizeS3Read"
COLUMNS = ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE"]
LIMIT = "More than 5 resources with PENDING or IN_PROGRESS status."
INVALID_LOCATION = "Invalid Data location."


class Lab:
    """The client, the emulator's clock and its bucket `data`."""

    def __init__(self, endpoint, bucket_dir):
        self.client = personalize_client(endpoint)
        self.endpoint = endpoint
        self.bucket_dir = bucket_dir

    def step(self):
        advance_clock(self.endpoint, 50)

    def settle(self, describe):
        """Advances the clock until `describe()` leaves CREATE PENDING and
        CREATE IN_PROGRESS; returns the statuses seen (each once, in order)
        and the resource as it ended."""
        seen = []
        for _ in range(100):
            resource = describe()
            if not seen or seen[-1] != resource["status"]:
                seen.append(resource["status"])
            if resource["status"] not in ("CREATE PENDING", "CREATE IN_PROGRESS"):
                return seen, resource
            self.step()
        raise AssertionError(f"never settled: {seen}")

    def active(self, describe):
        seen, resource = self.settle(describe)
        assert seen[-1] == "ACTIVE", (seen, resource)
        return resource

    def failed(self, describe, reason):
        """`describe()` must run CREATE PENDING > CREATE IN_PROGRESS > CREATE
        FAILED and end with exactly `reason`."""
        seen, resource = self.settle(describe)
        assert seen == ["CREATE PENDING", "CREATE IN_PROGRESS", "CREATE FAILED"], (seen, resource)
        assert resource["failureReason"] == reason, resource
        return resource

    def write(self, key, header, rows):
        """Writes a CSV object `key` in the bucket `data`."""
        lines = [",".join(header)] + [",".join(row) for row in rows]
        with open(os.path.join(self.bucket_dir, key), "w") as f:
            f.write("\n".join(lines) + "\n")

    def start_import(self, name, dataset_arn, location, mode="FULL"):
        return self.client.create_dataset_import_job(
            jobName=name, datasetArn=dataset_arn, dataSource={"dataLocation": location},
            roleArn=ROLE, importMode=mode)["datasetImportJobArn"]

    def job(self, arn):
        return lambda: self.client.describe_dataset_import_job(datasetImportJobArn=arn)["datasetImportJob"]

    def import_fails(self, name, dataset_arn, location, reason, mode="FULL"):
        """An import accepted, then CREATE FAILED with `reason`."""
        arn = self.start_import(name, dataset_arn, location, mode)
        return self.failed(self.job(arn), reason)


def interactions(count, users, event=lambda i: "View"):
    """`count` rows of the columns COLUMNS spread over `users` users."""
    return [[f"u{i % users}", f"i{i % 100}", str(1767225600 + i), event(i)] for i in range(count)]


def setup(lab, name, domain=None):
    """A dataset group (of `domain`, if given) with an Item interactions
    dataset of COLUMNS, both ACTIVE; returns their ARNs."""
    client = lab.client
    group = client.create_dataset_group(name=name, **({"domain": domain} if domain else {}))
    group_arn = group["datasetGroupArn"]
    lab.active(lambda: client.describe_dataset_group(datasetGroupArn=group_arn)["datasetGroup"])
    fields = [{"name": c, "type": "long" if c == "TIMESTAMP" else "string"} for c in COLUMNS]
    schema_arn = client.create_schema(name=f"{name}-clicks", schema=record("Interactions", fields),
                                      **({"domain": domain} if domain else {}))["schemaArn"]
    dataset_arn = client.create_dataset(name=f"{name}-clicks", datasetGroupArn=group_arn,
                                        schemaArn=schema_arn, datasetType="Interactions")["datasetArn"]
    lab.active(lambda: client.describe_dataset(datasetArn=dataset_arn)["dataset"])
    return group_arn, dataset_arn


def bad_data(lab, dataset_arn):
    """Each import whose data location or data is wrong is accepted and
    ends CREATE FAILED; a failed FULL import is no bulk data to add to."""
    lab.import_fails("no-key", dataset_arn, "s3://data/nothing-here.csv", INVALID_LOCATION)
    lab.import_fails("no-bucket", dataset_arn, "s3://no-such-bucket/clicks.csv", INVALID_LOCATION)

    lab.write("no-items.csv", ["USER_ID", "EVENT_TYPE"], [["u1", "View"]] * 1000)
    lab.import_fails("missing-columns", dataset_arn, "s3://data/no-items.csv",
                     "Input CSV is missing the following columns:[ITEM_ID, TIMESTAMP]")

    rows = interactions(1000, 40)
    rows[2][2] = "soon"  # line 4: the header is line 1
    lab.write("bad-value.csv", COLUMNS, rows)
    lab.import_fails("bad-value", dataset_arn, "s3://data/bad-value.csv",
                     's3://data/bad-value.csv: line 4, column 3 (TIMESTAMP): "soon" is not a valid long')

    lab.write("few.csv", COLUMNS, interactions(999, 40))
    lab.import_fails("too-few-records", dataset_arn, "s3://data/few.csv",
                     "The import has 999 item interaction records; a dataset import job needs at least 1000")

    message = expect_error(lab.client, "InvalidInputException", lab.start_import,
                           name="increment-first", dataset_arn=dataset_arn,
                           location="s3://data/few.csv", mode="INCREMENTAL")
    assert message == (
        f"The dataset {dataset_arn} has no completed FULL import: \"If you haven't imported bulk "
        "records into the dataset previously, you can only specify FULL.\""), message

    jobs = lab.client.list_dataset_import_jobs(datasetArn=dataset_arn)["datasetImportJobs"]
    assert sorted(j["status"] for j in jobs) == ["CREATE FAILED"] * 5, jobs
    assert all(j["failureReason"] for j in jobs), jobs


def five_in_progress(lab, shop_arn, few_users_arn):
    """Five imports pending or in progress in the Region refuse a sixth;
    a dataset is not deleted while its import runs. Leaves the shop 1000
    interactions of which 500 are Views, and the other dataset 2000 of 10
    users."""
    client = lab.client
    lab.write("half-views.csv", COLUMNS,
              interactions(1000, 40, lambda i: "View" if i % 2 else "Purchase"))
    lab.write("ten-users.csv", COLUMNS, interactions(1000, 10))
    running = [lab.start_import("half-views", shop_arn, "s3://data/half-views.csv"),
               lab.start_import("ten-users", few_users_arn, "s3://data/ten-users.csv")]
    running += [lab.start_import(f"gone-{i}", few_users_arn, f"s3://data/gone-{i}.csv") for i in range(3)]
    message = expect_error(client, "LimitExceededException", lab.start_import, name="sixth",
                           dataset_arn=few_users_arn, location="s3://data/ten-users.csv",
                           mode="INCREMENTAL")
    assert message == LIMIT, message

    lab.step()
    assert lab.job(running[0])()["status"] == "CREATE IN_PROGRESS"
    message = expect_error(client, "ResourceInUseException", client.delete_dataset, datasetArn=shop_arn)
    assert message == f"The dataset {shop_arn} is in use by: dataset import job {running[0]}", message

    lab.active(lab.job(running[0]))
    lab.active(lab.job(running[1]))
    for arn in running[2:]:
        assert lab.job(arn)()["failureReason"] == INVALID_LOCATION
    # Ended jobs hold no place, and with bulk data an INCREMENTAL import
    # is accepted (the same ten users again).
    sixth = lab.start_import("sixth", few_users_arn, "s3://data/ten-users.csv", "INCREMENTAL")
    assert lab.active(lab.job(sixth))["importMode"] == "INCREMENTAL"


def too_little_to_train(lab, shop_group, custom_group):
    """Training on too little data is accepted, then ends CREATE FAILED."""
    client = lab.client
    arn = client.create_recommender(
        name="most-viewed", datasetGroupArn=shop_group,
        recipeArn="arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-views")["recommenderArn"]
    lab.failed(lambda: client.describe_recommender(recommenderArn=arn)["recommender"],
               "Dataset has fewer than 1000 interactions after filtering by event type: View")

    solution_arn = client.create_solution(
        name="few-users", datasetGroupArn=custom_group, performAutoTraining=False,
        recipeArn="arn:aws:personalize:::recipe/aws-user-personalization")["solutionArn"]
    lab.active(lambda: client.describe_solution(solutionArn=solution_arn)["solution"])
    version = client.create_solution_version(solutionArn=solution_arn)["solutionVersionArn"]
    lab.failed(lambda: client.describe_solution_version(solutionVersionArn=version)["solutionVersion"],
               "Create failed. Dataset has fewer than 25 users with at least 2 interactions each.")


def main(endpoint, bucket_dir):
    lab = Lab(endpoint, bucket_dir)
    shop_group, shop = setup(lab, "imp-shop", "ECOMMERCE")
    custom_group, custom = setup(lab, "imp-custom")
    bad_data(lab, shop)
    five_in_progress(lab, shop, custom)
    too_little_to_train(lab, shop_group, custom_group)
    print("boto3 ok")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
