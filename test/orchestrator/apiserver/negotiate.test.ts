// Accept negotiation, clause by clause, as kube-apiserver decides it.
import { describe, expect, it } from "vitest";
import { ApiError } from "../../../orchestrator/apiserver/errors.js";
import { checkTargetFits, negotiateOutput } from "../../../orchestrator/apiserver/negotiate.js";

const CLIENT_GO_METADATA_LIST = "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
const KUBECTL_TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

describe("negotiateOutput", () => {
  it.each([
    [undefined, "Object", ""],
    ["", "Object", ""],
    ["application/json", "Object", ""],
    ["*/*", "Object", ""],
    ["application/json, */*", "Object", ""],
    ["application/vnd.kubernetes.protobuf, application/json", "Object", ""],
    ["application/yaml", "Object", ""],
    ["application/json;charset=utf-8", "Object", ""],
    [KUBECTL_TABLE, "Table", "v1"],
    ["application/json;as=Table;v=v1beta1;g=meta.k8s.io", "Table", "v1beta1"],
    [CLIENT_GO_METADATA_LIST, "PartialObjectMetadataList", "v1"],
    ["application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1", "PartialObjectMetadata", "v1beta1"],
    // A clause the server cannot serve is skipped for the next one.
    ["application/json;as=Unknown;g=meta.k8s.io;v=v1,application/json", "Object", ""],
    ["application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json", "Object", ""],
    ["text/plain, application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1", "PartialObjectMetadata", "v1"],
    // Preference by q, then by order.
    ["application/json;q=0.5, application/json;as=Table;g=meta.k8s.io;v=v1", "Table", "v1"],
    ["application/json;as=Table;g=meta.k8s.io;v=v1;q=0, application/json", "Object", ""],
  ])("Accept %j → %s %s", (accept, kind, version) => {
    expect(negotiateOutput(accept)).toEqual({ kind, version });
  });

  it.each([
    ["application/json;as=Unknown;g=meta.k8s.io;v=v1"],
    ["application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v2"],
    ["application/json;as=PartialObjectMetadata;g=apps;v=v1"],
    ["application/json;as=PartialObjectMetadata"],
    ["application/json;as=Table;g=meta.k8s.io"],
    ["application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io"],
    ["text/plain"],
    ["text/html, image/png"],
    ["application/json;q=0"],
  ])("Accept %j → 406 NotAcceptable", (accept) => {
    const err = catchError(() => negotiateOutput(accept));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ httpStatus: 406, reason: "NotAcceptable", message: "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf" });
  });
});

describe("checkTargetFits", () => {
  it.each([
    ["PartialObjectMetadata", "list", "you requested PartialObjectMetadata, but the requested object is a list"],
    ["PartialObjectMetadataList", "object", "you requested PartialObjectMetadataList, but the requested object is not a list"],
    ["PartialObjectMetadataList", "watch", "you requested PartialObjectMetadataList, but the requested object is not a list"],
  ] as const)("%s on a %s is a 406", (kind, response, message) => {
    expect(catchError(() => checkTargetFits({ kind, version: "v1" }, response))).toMatchObject({ httpStatus: 406, reason: "NotAcceptable", message });
  });

  it.each([
    ["PartialObjectMetadata", "object"],
    ["PartialObjectMetadata", "watch"],
    ["PartialObjectMetadataList", "list"],
    ["Table", "list"],
    ["Object", "watch"],
  ] as const)("%s on a %s is served", (kind, response) => {
    expect(() => checkTargetFits({ kind, version: "v1" }, response)).not.toThrow();
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected an error");
}
