/* eslint-disable */
export default async () => {
    const t = {
        ["../../../libs/http/src/problem.dto"]: await import("../../../libs/http/src/problem.dto.js")
    };
    return { "@nestjs/swagger": { "models": [[import("../../../libs/http/src/problem.dto.js"), { "ProblemView": { type: { required: true, type: () => String }, title: { required: true, type: () => String }, status: { required: true, type: () => Number }, detail: { required: true, type: () => String }, instance: { required: false, type: () => String } }, "ShortageView": { sku: { required: true, type: () => String }, requested: { required: true, type: () => Number }, available: { required: true, type: () => Number } }, "InsufficientStockProblemView": { shortages: { required: true, type: () => [t["../../../libs/http/src/problem.dto"].ShortageView] } } }]], "controllers": [] } };
};