"""Fits LightGBM on a float32 feature matrix and exports ONNX (input `input` [N, F], output `probabilities` [N, 2]).

Argument: one JSON object {x, y, cols, out, params, shuffle_labels, seed}. Prints one JSON line: gain importances.
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
    if args.get("shuffle_labels"):
        y = np.random.default_rng(args["seed"]).permutation(y)
    model = lgb.LGBMClassifier(**args["params"], random_state=args["seed"], verbose=-1)
    model.fit(x, y)
    onnx_model = convert_lightgbm(
        model, initial_types=[("input", FloatTensorType([None, args["cols"]]))], zipmap=False
    )
    with open(args["out"], "wb") as f:
        f.write(onnx_model.SerializeToString())
    gains = model.booster_.feature_importance(importance_type="gain")
    print(json.dumps({"importances": [float(g) for g in gains]}))


if __name__ == "__main__":
    main()
