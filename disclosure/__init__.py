"""政务公开年报分析平台: the domain package (catalogue, storage, import, rules)."""
