/** The reusable gradient checker: analytic backward passes against central differences in double. */
module simdvae.gradcheck {
    exports simdvae.gradcheck;
}
