def dump(v, indent=0):
    pad = "  " * indent
    if isinstance(v, dict):
        for k in v:
            if isinstance(v[k], (dict, list)):
                print(f"{pad}{k}:")
                dump(v[k], indent + 1)
            else:
                print(f"{pad}{k}: {v[k]!r}")
    elif isinstance(v, list):
        for item in v:
            print(f"{pad}-")
            dump(item, indent + 1)
    else:
        print(f"{pad}{v!r}")

dump({"name": "gilkit", "tags": ["gil", "vm"], "meta": {"stars": 3, "ok": True, "x": None}})
