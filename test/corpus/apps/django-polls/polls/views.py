from django.http import Http404, HttpResponse, JsonResponse
from django.views import View
from django.views.decorators.csrf import csrf_exempt

QUESTIONS = {1: "What's new?", 2: "What's up?"}


def home(request):
    return HttpResponse("home")


def index(request):
    return HttpResponse(", ".join(QUESTIONS.values()))


def detail(request, question_id):
    if question_id not in QUESTIONS:
        raise Http404("Question does not exist")
    return HttpResponse(QUESTIONS[question_id])


class ResultsView(View):
    def get(self, request, question_id):
        return HttpResponse(f"results of {question_id}")


@csrf_exempt
def vote(request, question_id):
    if question_id == 2:
        raise ValueError(f"voting on {question_id} is closed")
    return HttpResponse(f"voted on {question_id}")


def question_list(request):
    return JsonResponse({"questions": list(QUESTIONS.values())})


def question_detail(request, pk):
    return JsonResponse({"question": QUESTIONS.get(int(pk))})
