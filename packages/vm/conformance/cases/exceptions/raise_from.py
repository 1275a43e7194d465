def load():
    try:
        {}["cfg"]
    except KeyError as e:
        raise RuntimeError("config missing") from e

try:
    load()
except RuntimeError as e:
    print(e, "| cause:", repr(e.__cause__))
