print({"quote'": 'dq"', "nl": "a\nb", 1.5: [None, True]})
