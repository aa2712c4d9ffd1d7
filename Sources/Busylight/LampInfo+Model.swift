extension LampInfo {
    /// The info for a lamp of `model` reached at `path`.
    public init(path: String, model: BusylightModel) {
        self.init(path: path, vendorID: model.vendorID, productID: model.productID, model: model.name)
    }
}
