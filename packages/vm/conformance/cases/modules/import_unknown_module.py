try:
    import definitely_not_a_module
except ImportError as e:
    print(type(e))
