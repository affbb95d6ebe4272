"""Fits LightGBM on a float32 feature matrix and exports ONNX (input `input` [N, F], output `probabilities` [N, 2]).

Argument: one JSON object {x, y, w (optional sample weights), v (optional inner validation mask), cols, out, params,
shuffle_labels, seed}; params go to LGBMClassifier, except `amount_max_bin` (the bins of column 0, TX_AMOUNT) and
`early_stopping_rounds` and `trees_without_split`: with a mask, the trees are fitted on the rows outside it, their number
chosen by AP on the rows inside it (at most n_estimators), and the model refitted on every row with that number; when
either side of the split has no fraud, `trees_without_split` trees are fitted instead. Prints one JSON line: gain
importances and the number of trees.
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
    rounds = params.pop("early_stopping_rounds", None)
    fallback = params.pop("trees_without_split", None)
    if rounds:
        v = np.fromfile(args["v"], dtype=np.uint8).astype(bool) if args.get("v") else np.zeros(len(y), bool)
        if not (y[v].any() and y[~v].any()):
            params["n_estimators"] = fallback or params["n_estimators"]
        else:
            probe = lgb.LGBMClassifier(**params, random_state=args["seed"], verbose=-1)
            probe.fit(
                x[~v], y[~v], sample_weight=None if w is None else w[~v],
                eval_set=[(x[v], y[v])], eval_sample_weight=[None if w is None else w[v]],
                eval_metric="average_precision", callbacks=[lgb.early_stopping(rounds, verbose=False)],
            )
            params["n_estimators"] = max(int(probe.best_iteration_ or params["n_estimators"]), 50)
    model = lgb.LGBMClassifier(**params, random_state=args["seed"], verbose=-1)
    model.fit(x, y, sample_weight=w)
    onnx_model = convert_lightgbm(
        model, initial_types=[("input", FloatTensorType([None, args["cols"]]))], zipmap=False
    )
    with open(args["out"], "wb") as f:
        f.write(onnx_model.SerializeToString())
    gains = model.booster_.feature_importance(importance_type="gain")
    print(json.dumps({"importances": [float(g) for g in gains], "trees": int(model.n_estimators)}))


if __name__ == "__main__":
    main()
