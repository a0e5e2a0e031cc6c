// Package train is the one training loop of the toolkit: the tagger, the
// classifier, the character model and any later model are tasks it runs, as
// gonum's optimize.Minimize drives any Method.
//
// A Task says what it trains and how: its parameters in optimizer groups,
// the number of steps in an epoch, one step (forward and backward on a batch,
// adding gradients), and a score on the development data. The loop owns
// everything else, the same way for every task:
//
//   - epochs and steps, stopping after Config.Epochs epochs or Config.Steps
//     steps, or Config.Patience evaluations without improvement;
//   - before each step, zeroing the gradients; after it, the check that the
//     loss and the gradient norm are finite (an error naming the epoch and
//     step), clipping the global gradient norm to Config.Clip, and one Adam
//     step per group (unless the group is frozen in this epoch);
//   - the learning-rate schedule (Constant, Plateau: multiplied by
//     Config.Decay after every evaluation that does not improve, Cosine: from
//     the base rate down to Config.MinLR of it over the training);
//   - a moving average of the weights (Polyak averaging, Config.Average),
//     which is what gets scored and kept;
//   - evaluating at the end of every epoch (or every Config.EvalEvery steps),
//     keeping the best weights, and writing them to Options.Out;
//   - one checkpoint format (Options.Checkpoint, see below) and exact resume;
//   - stopping at a step boundary when the context is cancelled or
//     Options.MaxDuration has passed, the best model written and a
//     checkpoint from which Options.Resume continues;
//   - progress and one report per evaluation, through callbacks: the loop
//     never prints.
//
// # Checkpoints
//
// A checkpoint is one model file (nn.Save: safetensors, a checksum, written
// to a temporary file and renamed): the trained parameters as they are in
// memory (float64), the best ones ("best." + name), the moving average
// ("average." + name), each group's Adam moments (name + ".adam_m",
// ".adam_v"), the task's own state (Stateful: recurrent states carried
// between steps), the task's Identity as metadata, and the loop's state as
// JSON under "train_state": the position (epoch, step), the step counts, the
// learning-rate factor, the best score, the running loss and the reports so
// far. A resume rebuilds the task from the same data and configuration, checks
// that its Identity matches the checkpoint's, loads all of it and goes on.
//
// A checkpoint is written after every evaluation and when training stops
// early. A resume from one written at an evaluation takes exactly the steps an
// uninterrupted run takes. One written when a run was stopped inside an epoch
// continues from the next step; it is exact too for a task whose steps draw
// their randomness from (seed, step) alone (generate), while a task that draws
// from one stream per epoch (tagger, classify) continues with the epoch's
// streams restarted.
package train
