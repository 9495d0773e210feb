"""boto3 against `pzr emulator`: a second client nobody here wrote.

Usage: python3 boto3_emulator.py ENDPOINT_URL BUCKET_DIR
The emulator runs with --manual-clock --create-delay 150ms --delete-delay 100ms
--training-delay 300ms --fail-update ^py-doomed --bucket data=BUCKET_DIR: its
time moves only when this script advances it, so no status depends on how
fast the machine is; what it trains on is imported from BUCKET_DIR.
Exits non-zero (with a traceback) on any mismatch; prints "boto3 ok" on success.
"""
import json
import os
import sys
import urllib.request

import boto3
from botocore.config import Config


def advance_clock(endpoint, ms):
    """POST /_emulator/clock: moves the emulator's manual clock by `ms`."""
    request = urllib.request.Request(
        endpoint + "/_emulator/clock",
        data=json.dumps({"advanceMs": ms}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    # Straight to the emulator on localhost, whatever proxy is configured.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request) as response:
        return json.load(response)["nowMs"]


def wait_active(describe, advance):
    """Advances the clock until ACTIVE, checking the statuses seen on the way."""
    for _ in range(100):
        resource = describe()
        if resource["status"] == "ACTIVE":
            return resource
        assert resource["status"] in ("CREATE PENDING", "CREATE IN_PROGRESS"), resource
        advance()
    raise AssertionError("never became ACTIVE")


def import_interactions(client, dataset_arn, bucket_dir, key, columns, step):
    """Writes 1000 View interactions of 40 users (enough to train on: 25
    users with two or more) as `key` in the bucket, and imports them."""
    value = lambda column, i: {"USER_ID": f"u{i % 40}", "ITEM_ID": f"i{i % 100}",
                               "TIMESTAMP": str(1767225600 + i), "EVENT_TYPE": "View"}[column]
    rows = [",".join(columns)] + [",".join(value(c, i) for c in columns) for i in range(1000)]
    with open(os.path.join(bucket_dir, key), "w") as f:
        f.write("\n".join(rows) + "\n")
    job = client.create_dataset_import_job(
        jobName=key.replace(".", "-"), datasetArn=dataset_arn,
        dataSource={"dataLocation": f"s3://data/{key}"},
        roleArn="arn:aws:iam::111122223333:role/PersonalizeS3Read")["datasetImportJobArn"]
    wait_active(lambda: client.describe_dataset_import_job(datasetImportJobArn=job)["datasetImportJob"], step)


def record(name, fields):
    """An Avro record schema's text."""
    return json.dumps({"type": "record", "name": name,
                       "namespace": "com.amazonaws.personalize.schema",
                       "fields": fields, "version": "1.0"})


def expect_error(client, code, call, **kwargs):
    """Calls `call`, which must fail with `code`; returns the message."""
    try:
        call(**kwargs)
    except client.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == code, e.response
        return e.response["Error"]["Message"]
    raise AssertionError(f"{call.__name__} must fail with {code}")


def update_lifecycle(client, endpoint, group_arn, step):
    """UpdateDataset runs through UPDATE PENDING/IN_PROGRESS; a failed one
    keeps the old schema, the failure only in latestDatasetUpdate."""
    for kind, id_field, name in (("Items", "ITEM_ID", "py-items"), ("Users", "USER_ID", "py-doomed-users")):
        v1 = [{"name": id_field, "type": "string"},
              {"name": "SEGMENT", "type": ["null", "string"], "categorical": True}]
        v2 = v1 + [{"name": "SCORE", "type": ["null", "float"]}]
        old = client.create_schema(name=f"{name}-v1", schema=record(kind, v1))["schemaArn"]
        new = client.create_schema(name=f"{name}-v2", schema=record(kind, v2))["schemaArn"]
        arn = client.create_dataset(name=name, datasetGroupArn=group_arn, schemaArn=old,
                                    datasetType=kind.lower())["datasetArn"]
        describe = lambda: client.describe_dataset(datasetArn=arn)["dataset"]
        assert wait_active(describe, step)["datasetType"] == kind.lower(), "echoed as given"
        client.update_dataset(datasetArn=arn, schemaArn=new)
        dataset = describe()
        assert dataset["status"] == "UPDATE PENDING" and dataset["schemaArn"] == old, dataset
        assert dataset["latestDatasetUpdate"]["schemaArn"] == new, dataset
        assert dataset["latestDatasetUpdate"]["status"] == "CREATE PENDING", dataset
        expect_error(client, "ResourceInUseException", client.update_dataset, datasetArn=arn, schemaArn=new)
        advance_clock(endpoint, 50)
        assert describe()["status"] == "UPDATE IN_PROGRESS"
        advance_clock(endpoint, 100)
        dataset = describe()
        update = dataset["latestDatasetUpdate"]
        assert dataset["status"] == "ACTIVE", dataset
        if name.startswith("py-doomed"):
            assert dataset["schemaArn"] == old and update["status"] == "CREATE FAILED", dataset
            assert name in update["failureReason"], update
        else:
            assert dataset["schemaArn"] == new and update["status"] == "ACTIVE", dataset
    return arn


def delete_refused_by_filter(client, endpoint, group_arn, dataset_arn):
    """A filter in the group blocks DeleteDataset."""
    filter_arn = client.create_filter(
        name="py-filter", datasetGroupArn=group_arn,
        filterExpression='EXCLUDE ItemID WHERE Items.SEGMENT IN ("vip")')["filterArn"]
    message = expect_error(client, "ResourceInUseException", client.delete_dataset, datasetArn=dataset_arn)
    assert filter_arn in message, message
    advance_clock(endpoint, 150)
    client.delete_filter(filterArn=filter_arn)
    advance_clock(endpoint, 100)


def solution_versions(client, endpoint, group_arn, step):
    """Automatic training, DeleteSolution refused while it trains,
    StopSolutionVersionCreation, and a manual version."""
    solution_arn = client.create_solution(
        name="py-solution", datasetGroupArn=group_arn,
        recipeArn="arn:aws:personalize:::recipe/aws-user-personalization")["solutionArn"]
    wait_active(lambda: client.describe_solution(solutionArn=solution_arn)["solution"], step)
    assert client.list_solution_versions(solutionArn=solution_arn)["solutionVersions"] == []
    advance_clock(endpoint, 300)
    versions = client.list_solution_versions(solutionArn=solution_arn)["solutionVersions"]
    assert len(versions) == 1 and versions[0]["trainingType"] == "AUTOMATIC", versions
    version_arn = versions[0]["solutionVersionArn"]
    assert version_arn.startswith(solution_arn + "/"), version_arn
    message = expect_error(client, "ResourceInUseException", client.delete_solution, solutionArn=solution_arn)
    assert version_arn in message, message
    advance_clock(endpoint, 50)
    client.stop_solution_version_creation(solutionVersionArn=version_arn)
    describe = lambda: client.describe_solution_version(solutionVersionArn=version_arn)["solutionVersion"]
    assert describe()["status"] == "CREATE STOPPING", describe()
    advance_clock(endpoint, 100)
    assert describe()["status"] == "CREATE STOPPED", describe()
    manual = client.create_solution_version(solutionArn=solution_arn, trainingMode="FULL")["solutionVersionArn"]
    version = wait_active(lambda: client.describe_solution_version(solutionVersionArn=manual)["solutionVersion"], step)
    assert version["trainingType"] == "MANUAL" and version["trainingMode"] == "FULL", version
    update_campaign(client, endpoint, manual, step)
    client.delete_solution(solutionArn=solution_arn)
    advance_clock(endpoint, 100)
    expect_error(client, "ResourceNotFoundException", client.describe_solution_version, solutionVersionArn=manual)


def update_campaign(client, endpoint, version_arn, step):
    """A campaign keeps its TPS until its UpdateCampaign is ACTIVE; a second
    update while one runs is refused. It is deleted again."""
    arn = client.create_campaign(name="py-campaign", solutionVersionArn=version_arn)["campaignArn"]
    describe = lambda: client.describe_campaign(campaignArn=arn)["campaign"]
    assert wait_active(describe, step)["minProvisionedTPS"] == 1, "the API's default"
    client.update_campaign(campaignArn=arn, minProvisionedTPS=2)
    campaign = describe()
    assert campaign["status"] == "ACTIVE" and campaign["minProvisionedTPS"] == 1, campaign
    assert campaign["latestCampaignUpdate"]["status"] == "CREATE PENDING", campaign
    assert campaign["latestCampaignUpdate"]["minProvisionedTPS"] == 2, campaign
    expect_error(client, "ResourceInUseException", client.update_campaign, campaignArn=arn, minProvisionedTPS=3)
    advance_clock(endpoint, 150)
    campaign = describe()
    assert campaign["minProvisionedTPS"] == 2, campaign
    assert campaign["latestCampaignUpdate"]["status"] == "ACTIVE", campaign
    client.delete_campaign(campaignArn=arn)
    advance_clock(endpoint, 100)


def stop_start_recommender(client, endpoint, bucket_dir, step):
    """A recommender of a real ECOMMERCE use case, on imported data, stops
    (STOP PENDING > STOP IN_PROGRESS > INACTIVE) and starts again; its group
    is deleted after it and its dataset."""
    group_arn = client.create_dataset_group(name="py-shop", domain="ECOMMERCE")["datasetGroupArn"]
    wait_active(lambda: client.describe_dataset_group(datasetGroupArn=group_arn)["datasetGroup"], step)
    columns = ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE"]
    schema_arn = client.create_schema(
        name="py-shop-clicks", domain="ECOMMERCE",
        schema=record("Interactions", [{"name": c, "type": "long" if c == "TIMESTAMP" else "string"}
                                       for c in columns]))["schemaArn"]
    dataset_arn = client.create_dataset(name="py-shop-clicks", datasetGroupArn=group_arn,
                                        schemaArn=schema_arn, datasetType="Interactions")["datasetArn"]
    wait_active(lambda: client.describe_dataset(datasetArn=dataset_arn)["dataset"], step)
    import_interactions(client, dataset_arn, bucket_dir, "shop.csv", columns, step)
    recipes = client.list_recipes(domain="ECOMMERCE")["recipes"]
    recipe = next(r["recipeArn"] for r in recipes if r["name"] == "aws-ecomm-recommended-for-you")
    expect_error(client, "InvalidInputException", client.create_recommender, name="py-wrong",
                 datasetGroupArn=group_arn, recipeArn="arn:aws:personalize:::recipe/aws-vod-top-picks")
    arn = client.create_recommender(name="py-recommender", datasetGroupArn=group_arn,
                                    recipeArn=recipe)["recommenderArn"]
    describe = lambda: client.describe_recommender(recommenderArn=arn)["recommender"]
    wait_active(describe, step)
    expect_error(client, "ResourceInUseException", client.start_recommender, recommenderArn=arn)
    client.stop_recommender(recommenderArn=arn)
    seen = [describe()["status"]]
    for _ in range(3):
        advance_clock(endpoint, 50)
        seen.append(describe()["status"])
    assert seen == ["STOP PENDING", "STOP IN_PROGRESS", "STOP IN_PROGRESS", "INACTIVE"], seen
    client.start_recommender(recommenderArn=arn)
    assert describe()["status"] == "START PENDING"
    advance_clock(endpoint, 150)
    assert describe()["status"] == "ACTIVE"
    client.delete_recommender(recommenderArn=arn)
    advance_clock(endpoint, 100)
    client.delete_dataset(datasetArn=dataset_arn)
    advance_clock(endpoint, 100)
    client.delete_dataset_group(datasetGroupArn=group_arn)
    advance_clock(endpoint, 100)


def personalize_client(endpoint):
    """A Personalize client of the emulator at `endpoint`, retries off so
    every refusal is seen as it is."""
    return boto3.client(
        "personalize",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="AKIAPZREMULATOR00000",
        aws_secret_access_key="pzr-emulator-has-no-secrets",
        config=Config(retries={"max_attempts": 1}),
    )


def main(endpoint, bucket_dir):
    client = personalize_client(endpoint)
    schema = json.dumps({
        "type": "record", "name": "Interactions",
        "namespace": "com.amazonaws.personalize.schema",
        "fields": [{"name": "USER_ID", "type": "string"},
                   {"name": "ITEM_ID", "type": "string"},
                   {"name": "TIMESTAMP", "type": "long"}],
        "version": "1.0",
    })
    schema_arn = client.create_schema(name="py-clicks", schema=schema)["schemaArn"]
    group = client.create_dataset_group(
        name="py-group", tags=[{"tagKey": "pzr:stack", "tagValue": "py"}])
    group_arn = group["datasetGroupArn"]
    assert group_arn == "arn:aws:personalize:us-east-1:111122223333:dataset-group/py-group", group_arn

    try:
        client.create_dataset(name="py-interactions", datasetGroupArn=group_arn,
                              schemaArn=schema_arn, datasetType="Interactions")
        raise AssertionError("CreateDataset before ACTIVE must fail")
    except client.exceptions.ResourceInUseException:
        pass

    now = advance_clock(endpoint, 0)
    assert advance_clock(endpoint, 50) == now + 50
    step = lambda: advance_clock(endpoint, 50)
    wait_active(lambda: client.describe_dataset_group(datasetGroupArn=group_arn)["datasetGroup"], step)

    dataset_arn = client.create_dataset(
        name="py-interactions", datasetGroupArn=group_arn,
        schemaArn=schema_arn, datasetType="Interactions")["datasetArn"]
    described = wait_active(lambda: client.describe_dataset(datasetArn=dataset_arn)["dataset"], step)
    assert described["schemaArn"] == schema_arn
    assert described["creationDateTime"].year >= 2024

    for i in range(5):
        client.create_schema(name=f"py-extra-{i}", schema=schema)
    pages = list(client.get_paginator("list_schemas").paginate(PaginationConfig={"PageSize": 2}))
    names = [s["name"] for page in pages for s in page["schemas"]]
    assert len(pages) == 3 and names[0] == "py-clicks" and len(names) == 6, (len(pages), names)

    tags = client.list_tags_for_resource(resourceArn=group_arn)["tags"]
    assert tags == [{"tagKey": "pzr:stack", "tagValue": "py"}], tags

    items_arn = update_lifecycle(client, endpoint, group_arn, step)
    delete_refused_by_filter(client, endpoint, group_arn, items_arn)
    import_interactions(client, dataset_arn, bucket_dir, "clicks.csv", ["USER_ID", "ITEM_ID", "TIMESTAMP"], step)
    solution_versions(client, endpoint, group_arn, step)
    stop_start_recommender(client, endpoint, bucket_dir, step)

    try:
        client.delete_dataset_group(datasetGroupArn=group_arn)
        raise AssertionError("deleting a group with datasets must fail")
    except client.exceptions.ResourceInUseException:
        pass
    try:
        client.describe_schema(schemaArn="arn:aws:personalize:us-east-1:111122223333:schema/none")
        raise AssertionError("missing schema must fail")
    except client.exceptions.ResourceNotFoundException:
        pass

    client.delete_dataset(datasetArn=dataset_arn)
    # The clock stands still: the deletion is pending until it moves.
    status = client.describe_dataset(datasetArn=dataset_arn)["dataset"]["status"]
    assert status == "DELETE PENDING", status
    print("boto3 ok")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
