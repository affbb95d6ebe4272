"""Fits LightGBM on a float32 feature matrix and exports ONNX (input `input` [N, F], output `probabilities` [N, 2]).

Argument: one JSON object {x, y, w (optional sample weights), cols, out, params, shuffle_labels, seed}; params go to LGBMClassifier, except
`amount_max_bin` (the bins of column 0, TX_AMOUNT). Prints one JSON line: gain importances.
"""
import json
import sys

import lightgbm as lgb
import numpy as np
from onnxmltools import convert_lightgbm
from onnxmltools.convert.common.data_types import FloatTensorType


def main() -> None:
    args = json.loads(sys.argv[1])
    x = np.fromfile(args["x"], dtype=np.float32).reshape(-1, args["cols"])
    y = np.fromfile(args["y"], dtype=np.int8)
    w = np.fromfile(args["w"], dtype=np.float32) if args.get("w") else None
    if args.get("shuffle_labels"):
        y = np.random.default_rng(args["seed"]).permutation(y)
    params = dict(args["params"])
    amount_bins = params.pop("amount_max_bin", None)
    if amount_bins:  # column 0 is TX_AMOUNT in every feature set
        params["max_bin_by_feature"] = [amount_bins] + [params.get("max_bin", 255)] * (args["cols"] - 1)
    model = lgb.LGBMClassifier(**params, random_state=args["seed"], verbose=-1)
    model.fit(x, y, sample_weight=w)
    onnx_model = convert_lightgbm(
        model, initial_types=[("input", FloatTensorType([None, args["cols"]]))], zipmap=False
    )
    with open(args["out"], "wb") as f:
        f.write(onnx_model.SerializeToString())
    gains = model.booster_.feature_importance(importance_type="gain")
    print(json.dumps({"importances": [float(g) for g in gains]}))


if __name__ == "__main__":
    main()
